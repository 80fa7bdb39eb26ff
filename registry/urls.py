"""URL routes of Kerma: the portal, sign-in and sign-out, the admin and a health check."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from registry import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Only sign-in and sign-out: password reset needs outgoing mail, which Kerma does not configure yet.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # ingest is included by name, never imported: registry must not depend on ingest.
    path("", include("ingest.web_urls")),
    path("", include("ingest.api_urls")),
    path("api/v1/", include("registry.api.urls")),
    path("reference-levels/", include("registry.reference_level_urls")),
    path("", include("registry.web_urls")),
    path("", include("registry.dashboard_urls")),
    path("", include("registry.exports.urls")),
    # The PDF audit report lists ingest's rejected reports, so its view lives in ingest (included by name).
    path("", include("ingest.web.audit_report")),
]
