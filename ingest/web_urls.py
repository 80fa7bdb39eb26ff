"""URL routes of ingest's web pages: uploading dose reports and following their status."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
