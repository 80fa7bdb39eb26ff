"""URL routes of the dose dashboards and the study pages behind them."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from registry.dashboards import protocol_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboards/drl/", views.drl_dashboard, name="dashboard-drl"),
    path("dashboards/drl/charts/<slug:kind>/", views.chart_page, name="dashboard-chart"),
    path("dashboards/protocols/", protocol_views.protocols_dashboard, name="dashboard-protocols"),
    path(
        "dashboards/protocols/charts/<slug:kind>/",
        protocol_views.protocol_chart,
        name="dashboard-protocol-chart",
    ),
    path("studies/", views.studies_list, name="studies"),
    path("studies/<int:pk>/", views.study_detail, name="study"),
]
