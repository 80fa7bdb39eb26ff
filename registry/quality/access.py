"""Who decides about QA scans, always through the one access rule (`visible_sites`).

Whether an exposure was a patient is a physicist's judgement, and it changes numbers a physicist signs: so
physicists (of the site, or of every site) and superusers flag and unflag studies and mark devices
QA-only. A site's QA patient IDs are set up with its RIS and PACS, so its administrators keep that list
too. Every member of a site sees its QA scans and why they are left out (docs/access.md).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from registry.models import Site, visible_sites
from registry.models.access import QA_DECISION_ROLES, QA_PATIENT_LIST_ROLES

QA_LIST_PAGE_ROLES = QA_PATIENT_LIST_ROLES  # the page shows both lists; devices read-only to administrators


def decision_sites(user: Any) -> QuerySet[Site]:
    """Sites whose studies the user flags and unflags, and whose devices they mark QA-only."""
    return visible_sites(user, roles=QA_DECISION_ROLES)


def patient_list_sites(user: Any) -> QuerySet[Site]:
    """Sites whose QA patient IDs the user keeps."""
    return visible_sites(user, roles=QA_PATIENT_LIST_ROLES)


def require(sites: QuerySet[Site], site_id: int, message: str) -> None:
    """A 403 unless the site is among `sites` (the caller has already made other sites' objects a 404)."""
    if not sites.filter(pk=site_id).exists():
        raise PermissionDenied(message)


def require_member(user: Any) -> None:
    """The QA page is for people of the registry: a membership at some site, or a superuser."""
    if not user.is_superuser and not visible_sites(user).exists():
        raise PermissionDenied("QA scans are shown to members of a site.")
