"""Access: upload tokens, sign-in security, the nav's role flags, the CSP report and the audit log page."""
