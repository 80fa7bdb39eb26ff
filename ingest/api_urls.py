"""URL routes of ingest's machine interfaces: REST submissions, DICOMweb STOW-RS, and the OpenAPI schema."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.views import SpectacularAPIView

from ingest.api.stow import StowStudyView, StowView
from ingest.api.submissions import SubmissionCreateView, SubmissionDetailView

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/submissions/", SubmissionCreateView.as_view(), name="api-submission-list"),
    path("api/v1/submissions/<uuid:pk>/", SubmissionDetailView.as_view(), name="api-submission-detail"),
    path("dicomweb/studies", StowView.as_view(), name="dicomweb-studies"),
    path("dicomweb/studies/<str:study_uid>", StowStudyView.as_view(), name="dicomweb-study"),
    # The schema spans both apps; it sits here because registry.urls mounts this module at the root and
    # registry's own API module is mounted under /api/v1/ (the schema lives at /api/schema/).
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
