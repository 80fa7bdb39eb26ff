"""URL routes of Kerma: the portal, sign-in, sign-out and password reset, the admin and a health check."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from registry import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset by email (EMAIL_URL); Django's views, our templates in templates/registration/.
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    # ingest is included by name, never imported: registry must not depend on ingest.
    path("", include("ingest.web_urls")),
    path("", include("ingest.api_urls")),
    path("api/v1/", include("registry.api.urls")),
    path("reference-levels/", include("registry.reference_levels.urls")),
    path("", include("registry.mapping.urls")),
    path("quality/", include("registry.quality.urls")),
    path("", include("registry.dashboards.urls")),
    path("", include("registry.exports.urls")),
    # The PDF audit report lists ingest's rejected reports, so its view lives in ingest (included by name).
    path("", include("ingest.web.audit_report")),
    path("", include("registry.access.urls")),
]

# Django's own 400 page renders without the request (no signed-in links, no reason); ours says why.
handler400 = "registry.pages.bad_request"
