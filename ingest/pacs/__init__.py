"""Pulling dose objects from a site's PACS: query (C-FIND), retrieve (C-MOVE or C-GET), runs, pages.

docs/pacs.md describes what a run does; the retrieved objects enter through
`ingest.services.submission_receive` like those of every other door.
"""
