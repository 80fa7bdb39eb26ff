"""Which studies an API request may read: the one place the API applies registry.models.access."""

from __future__ import annotations

from rest_framework.request import Request

from registry.api.auth import SiteUploader
from registry.models import Site, Study
from registry.models.studies import StudyQuerySet


def principal_site(request: Request) -> Site | None:
    """The site of a site-token request (registry.api.auth.SiteUploader), None for a person."""
    return request.user.site if isinstance(request.user, SiteUploader) else None


def studies_for(request: Request) -> StudyQuerySet:
    """A site token reads its own site's studies; a person those of the sites visible_sites grants."""
    site = principal_site(request)
    if site is not None:
        return Study.objects.for_site(site)
    return Study.objects.for_user(request.user)
