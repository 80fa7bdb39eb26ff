"""ingest's web pages: the upload form for a site's uploaders and the status of what they sent."""
