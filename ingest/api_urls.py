"""URL routes of ingest's machine interfaces: REST submissions and DICOMweb STOW-RS."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
