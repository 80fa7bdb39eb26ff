"""The registry's REST API (studies, later statistics)."""
