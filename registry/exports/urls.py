"""URL routes of the exports (/exports/...): streamed files, and the pages and downloads of export jobs."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from registry.exports import views

app_name = "exports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/", views.reports_page, name="reports"),
    path("exports/studies.csv", views.studies_csv, name="studies-csv"),
    path("exports/events.csv", views.events_csv, name="events-csv"),
    path("exports/studies.xlsx", views.studies_xlsx, name="studies-xlsx"),
    path("exports/events.xlsx", views.events_xlsx, name="events-xlsx"),
    path("exports/jobs/<int:pk>/", views.job_page, name="job"),
    path("exports/jobs/<int:pk>/status.json", views.job_status, name="job-status"),
    path("exports/jobs/<int:pk>/download", views.job_download, name="job-download"),
]
