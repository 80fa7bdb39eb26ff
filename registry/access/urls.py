"""URL routes of access: site administrators' upload-token pages, the audit log, the CSP report endpoint."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from registry.access.views import audit_log, csp, tokens

app_name = "access"

urlpatterns: list[URLPattern | URLResolver] = [
    path("sites/tokens/", tokens.token_sites, name="token-sites"),
    path("sites/<slug:code>/tokens/", tokens.token_list, name="token-list"),
    path("sites/<slug:code>/tokens/new/", tokens.token_issue, name="token-issue"),
    path("sites/<slug:code>/tokens/rotate/", tokens.token_rotate, name="token-rotate"),
    path("sites/<slug:code>/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token-revoke"),
    path("sites/<slug:code>/tokens/<int:pk>/issued/", tokens.token_issued, name="token-issued"),
    path("audit/", audit_log.audit_log_page, name="audit-log"),
    path("audit/export.csv", audit_log.audit_log_csv, name="audit-log-csv"),
    path("csp-report/", csp.csp_report, name="csp-report"),
]
