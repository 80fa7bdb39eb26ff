"""The access pages: a site's upload tokens, the audit log, and the endpoint browsers post CSP reports to."""
