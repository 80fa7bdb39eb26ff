"""URL routes of the upload-token pages of site administrators, included at the root by registry.urls."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from registry import views_tokens

app_name = "tokens"

urlpatterns: list[URLPattern | URLResolver] = [
    path("sites/tokens/", views_tokens.token_sites, name="sites"),
    path("sites/<slug:code>/tokens/", views_tokens.token_list, name="list"),
    path("sites/<slug:code>/tokens/new/", views_tokens.token_issue, name="issue"),
    path("sites/<slug:code>/tokens/rotate/", views_tokens.token_rotate, name="rotate"),
    path("sites/<slug:code>/tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="revoke"),
    path("sites/<slug:code>/tokens/<int:pk>/issued/", views_tokens.token_issued, name="issued"),
]
