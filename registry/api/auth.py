"""Site upload tokens as DRF authentication: `Authorization: Token <secret>` makes the request a site's."""

from __future__ import annotations

from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from registry.models import Site, UploadToken
from registry.models.sites import TOKEN_PREFIX_LENGTH, hash_token

KEYWORD = "Token"


@dataclass(frozen=True)
class SiteUploader:
    """The principal of a token request: a site, not a person, so it never touches the user table.

    `site` is what the scoping helpers look for (registry.api.scoping reads it without importing this
    module); `is_authenticated` lets DRF's IsAuthenticated accept it.
    """

    site: Site
    is_authenticated: bool = True
    is_superuser: bool = False
    is_staff: bool = False

    @property
    def pk(self) -> None:
        """No user row: uploads by token record no `uploaded_by`."""
        return None


class SiteTokenAuthentication(BaseAuthentication):
    """Looks the secret up with `UploadToken.objects.matching`; other schemes fall through to the next."""

    def authenticate(self, request: Request) -> tuple[SiteUploader, UploadToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Malformed Authorization header: expected 'Token <upload token>'.")
        secret = parts[1].decode(errors="replace")
        token = UploadToken.objects.matching(secret).select_related("site").first()
        if token is None:
            raise AuthenticationFailed(_why_refused(secret))
        return SiteUploader(site=token.site), token

    def authenticate_header(self, request: Request) -> str:
        """Named in WWW-Authenticate, which also makes DRF answer 401 rather than 403."""
        return KEYWORD


class SiteTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token in the OpenAPI schema (drf-spectacular finds it by target class)."""

    target_class = SiteTokenAuthentication
    name = "siteToken"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A site upload token: `Token <secret>`.",
        }


def _why_refused(secret: str) -> str:
    """Say whether the token was revoked or never existed, so a site admin knows what to fix."""
    revoked = UploadToken.objects.filter(
        prefix=secret[:TOKEN_PREFIX_LENGTH], digest=hash_token(secret), revoked_at__isnull=False
    ).exists()
    return "Upload token has been revoked." if revoked else "Invalid upload token."


def site_of(request: Request) -> Site | None:
    """The site a token request acts for, or None for a session user."""
    user = request.user
    return user.site if isinstance(user, SiteUploader) else None


class IsSiteUploader(BasePermission):
    """Only a site token may use the endpoint (STOW-RS: a DICOM sender has no session)."""

    message = "This endpoint needs a site upload token (Authorization: Token <upload token>)."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.user, SiteUploader)
