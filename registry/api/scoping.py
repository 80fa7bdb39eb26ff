"""Which studies an API request may read: the one place the API applies registry.models.access."""

from __future__ import annotations

from rest_framework.request import Request

from registry.api.auth import site_of
from registry.models import Study
from registry.models.studies import StudyQuerySet


def studies_for(request: Request) -> StudyQuerySet:
    """A site token reads its own site's studies; a person those of the sites visible_sites grants."""
    site = site_of(request)
    if site is not None:
        return Study.objects.for_site(site)
    return Study.objects.for_user(request.user)
