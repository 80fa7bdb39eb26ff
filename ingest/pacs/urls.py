"""URL routes of the PACS pages (included by ingest.web_urls under /pacs/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from ingest.pacs import views

app_name = "pacs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.node_list, name="nodes"),
    path("new/", views.node_add, name="node-add"),
    path("<int:pk>/", views.node_detail, name="node"),
    path("<int:pk>/edit/", views.node_edit, name="node-edit"),
    path("<int:pk>/resume/", views.node_resume, name="node-resume"),
    path("<int:pk>/query/", views.node_query, name="node-query"),
]
