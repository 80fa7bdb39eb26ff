"""URL routes of ingest's web pages: uploading dose reports, following their status, pulling from a PACS."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from ingest.web import summary, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("upload/", views.upload, name="upload"),
    path("upload/status/", views.upload_status, name="upload-status"),
    path("upload/summary/", summary.upload_summary, name="upload-summary"),
    path("pacs/", include("ingest.pacs.urls")),
]
