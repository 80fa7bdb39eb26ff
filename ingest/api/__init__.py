"""Ingest's machine interfaces: the REST submissions API and DICOMweb STOW-RS, both behind site tokens."""
