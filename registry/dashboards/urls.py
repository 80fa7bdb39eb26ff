"""URL routes of the dose dashboards and the study pages behind them."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from registry.dashboards import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboards/drl/", views.drl_dashboard, name="dashboard-drl"),
    path("dashboards/drl/charts/<slug:kind>/", views.chart_page, name="dashboard-chart"),
    path("studies/", views.studies_list, name="studies"),
    path("studies/<int:pk>/", views.study_detail, name="study"),
]
