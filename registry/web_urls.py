"""URL routes of the registry's own pages beyond the home page: the standard-exam mapping."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from registry import views_mapping

urlpatterns: list[URLPattern | URLResolver] = [
    path("mapping/", views_mapping.mapping_page, name="mapping"),
    path("mapping/rules/new/", views_mapping.mapping_rule_new, name="mapping-rule-new"),
    path("mapping/rules/<int:pk>/", views_mapping.mapping_rule_edit, name="mapping-rule-edit"),
    path("mapping/rules/<int:pk>/delete/", views_mapping.mapping_rule_remove, name="mapping-rule-delete"),
]
