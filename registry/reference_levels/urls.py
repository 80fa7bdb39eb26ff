"""URL routes of the reference-level library, included under /reference-levels/ by registry.urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from registry.reference_levels import views

app_name = "reference_levels"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.level_list, name="list"),
    path("local/new/", views.level_add, name="add"),
    path("<int:pk>/revise/", views.level_revise, name="revise"),
    path("<int:pk>/history/", views.level_history, name="history"),
]
