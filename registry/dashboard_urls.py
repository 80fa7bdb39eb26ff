"""URL routes of the dose dashboards and the study pages behind them."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from registry import views_dashboard

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboards/drl/", views_dashboard.drl_dashboard, name="dashboard-drl"),
    path("dashboards/drl/charts/<slug:kind>/", views_dashboard.drl_chart, name="dashboard-chart"),
    path("studies/", views_dashboard.studies_list, name="studies"),
    path("studies/<int:pk>/", views_dashboard.study_detail, name="study"),
]
