"""URL routes of the registry's REST API under /api/v1/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from registry.api.stats import DrlStatisticsView
from registry.api.views import StudyDetailView, StudyListView

urlpatterns: list[URLPattern | URLResolver] = [
    path("studies/", StudyListView.as_view(), name="api-study-list"),
    path("studies/<int:pk>/", StudyDetailView.as_view(), name="api-study-detail"),
    path("stats/drl/", DrlStatisticsView.as_view(), name="api-stats-drl"),
]
