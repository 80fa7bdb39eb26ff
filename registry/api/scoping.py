"""Which studies an API request may read: the one place the API applies registry.models.access."""

from __future__ import annotations

from rest_framework.request import Request

from registry.models import Site, Study
from registry.models.studies import StudyQuerySet


def principal_site(request: Request) -> Site | None:
    """The site of a site-token principal, read by duck typing (registry may not import ingest)."""
    site = getattr(request.user, "site", None)
    return site if isinstance(site, Site) else None


def studies_for(request: Request) -> StudyQuerySet:
    """A site token reads its own site's studies; a person those of the sites visible_sites grants."""
    site = principal_site(request)
    if site is not None:
        return Study.objects.for_site(site)
    return Study.objects.for_user(request.user)
