"""Upload tokens as actions: issue, rotate and revoke a site's tokens, each with its audit row.

The secret leaves these functions once, to be shown to the person or printed by the command; audit rows
name a token by its prefix only, so the trail can never be used to upload as a site.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from registry.models import Site, UploadToken, audit_record, visible_sites
from registry.models.access import TOKEN_ADMIN_ROLES


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret, which is stored nowhere and cannot be shown again."""

    token: UploadToken
    secret: str


def token_admin_sites(user: Any) -> QuerySet[Site]:
    """Sites whose tokens the user manages: administrators there, and superusers everywhere."""
    return visible_sites(user, roles=TOKEN_ADMIN_ROLES)


def _snapshot(token: UploadToken) -> dict[str, Any]:
    """What the audit row keeps of a token: never the secret or its digest."""
    revoked = token.revoked_at.isoformat() if token.revoked_at else None
    return {"prefix": token.prefix, "label": token.label, "revoked_at": revoked}


def _revoke(*, actor: Any, token: UploadToken) -> None:
    before = _snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, action="token.revoked", obj=token, site=token.site, before=before, after=_snapshot(token)
    )


@transaction.atomic
def upload_token_issue(*, actor: Any, site: Site, label: str = "") -> IssuedToken:
    """A new token for the site, beside its active ones."""
    token, secret = UploadToken.issue(site, label=label)
    audit_record(actor=actor, action="token.issued", obj=token, site=site, after=_snapshot(token))
    return IssuedToken(token, secret)


@transaction.atomic
def upload_token_revoke(*, actor: Any, site: Site, token: UploadToken) -> bool:
    """Revoke one of the site's tokens; False if it was revoked already (nothing changes, nothing audited)."""
    if token.site_id != site.pk:
        raise ValueError(f"token {token.prefix} does not belong to site {site.code}")
    locked = UploadToken.objects.select_for_update().select_related("site").get(pk=token.pk)
    if locked.revoked_at is not None:
        return False
    _revoke(actor=actor, token=locked)
    return True


@transaction.atomic
def upload_tokens_revoke_active(*, actor: Any, site: Site) -> int:
    """Revoke every active token of the site (one audit row each); returns how many."""
    active = list(UploadToken.objects.select_for_update().filter(site=site).active().select_related("site"))
    for token in active:
        _revoke(actor=actor, token=token)
    return len(active)


@transaction.atomic
def upload_token_rotate(*, actor: Any, site: Site, label: str = "") -> tuple[IssuedToken, int]:
    """Replace the site's active tokens with one new one: the old ones stop working at once.

    One `token.rotated` row records the new token and, in its detail, the prefixes it revoked, so the trail
    shows them as one action ("revoked: …; label: …; prefix: …"); returns the new token and how many were
    revoked.
    """
    active = list(UploadToken.objects.select_for_update().filter(site=site).active())
    now = timezone.now()
    UploadToken.objects.filter(pk__in=[token.pk for token in active]).update(revoked_at=now)
    token, secret = UploadToken.issue(site, label=label)
    audit_record(
        actor=actor,
        action="token.rotated",
        obj=token,
        site=site,
        detail={"revoked": [old.prefix for old in active]},
        after=_snapshot(token),
    )
    return IssuedToken(token, secret), len(active)
