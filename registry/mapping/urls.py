"""URL routes of the registry's own pages beyond the home page: the standard-exam mapping."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from registry.mapping import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("mapping/", views.mapping_page, name="mapping"),
    path("mapping/rules/new/", views.mapping_rule_new, name="mapping-rule-new"),
    path("mapping/rules/<int:pk>/", views.mapping_rule_edit, name="mapping-rule-edit"),
    path("mapping/rules/<int:pk>/delete/", views.mapping_rule_remove, name="mapping-rule-delete"),
]
