"""Who sees and who changes reference levels, always through the one access rule (`visible_sites`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from registry.models import ReferenceLevel, Site, visible_sites
from registry.models.access import LOCAL_LEVEL_ROLES
from registry.models.reference_levels import ReferenceLevelQuerySet


def require_member(user: Any) -> None:
    """The library is for people of the registry: a membership at some site, or a superuser."""
    if not user.is_superuser and not visible_sites(user).exists():
        raise PermissionDenied("The reference levels are for members of a site.")


def levels_visible(user: Any) -> ReferenceLevelQuerySet:
    """Published levels, and the local levels of the sites the user may see."""
    return ReferenceLevel.objects.filter(Q(site__isnull=True) | Q(site__in=visible_sites(user)))


def local_level_sites(user: Any) -> QuerySet[Site]:
    """Sites whose local levels the user adds and revises: physicists and administrators there (all for
    superusers)."""
    return visible_sites(user, roles=LOCAL_LEVEL_ROLES)


def editable_site_ids(user: Any) -> set[int]:
    return set(local_level_sites(user).values_list("pk", flat=True))


def level_editable(user: Any, level: ReferenceLevel, site_ids: set[int] | None = None) -> bool:
    """Superusers revise any level, published ones too; others only local levels of their sites."""
    if user.is_superuser:
        return True
    return level.site_id is not None and level.site_id in (
        editable_site_ids(user) if site_ids is None else site_ids
    )
