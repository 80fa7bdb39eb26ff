"""URL routes of the QA pages, included under /quality/ by registry.urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from registry.quality import views

app_name = "quality"

urlpatterns: list[URLPattern | URLResolver] = [
    path("qa-studies/", views.qa_studies, name="qa-studies"),
    path("studies/<int:pk>/flag/", views.study_flag, name="study-flag"),
    path("studies/<int:pk>/unflag/", views.study_unflag, name="study-unflag"),
    path("sites/<slug:code>/", views.site_lists, name="site-lists"),
    path("sites/<slug:code>/qa-patients/", views.qa_patient_add_view, name="qa-patient-add"),
    path("qa-patients/<int:pk>/remove/", views.qa_patient_remove_view, name="qa-patient-remove"),
    path("devices/<int:pk>/qa-only/", views.device_mark, name="device-mark"),
    path("devices/<int:pk>/qa-only/remove/", views.device_unmark, name="device-unmark"),
]
