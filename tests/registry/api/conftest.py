"""Fixtures for the studies API: sites, corpus reports stored straight into the registry, callers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from ingest.rdsr import read
from registry.models import Membership, Role, Site, Study, UploadToken
from registry.services import store_dose_report
from tests.conftest import corpus_file

Store = Callable[..., Study]


@pytest.fixture
def north(db: None) -> Site:
    return Site.objects.create(code="NORTH-01", name="North General Hospital")


@pytest.fixture
def south(db: None) -> Site:
    return Site.objects.create(code="SOUTH-02", name="South Clinic")


@pytest.fixture
def store(north: Site) -> Store:
    """Read corpus files with the RDSR reader and store them for a site (no spool, no task)."""

    def _store(*names: str, site: Site | None = None) -> Study:
        study = None
        for name in names:
            stored = store_dose_report(site=site or north, report=read(corpus_file(name)).as_dict())
            study = stored.study
        assert study is not None
        return study

    return _store


def token_client(site: Site) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {UploadToken.issue(site)[1]}")
    return client


def member_client(*sites: Site, role: Role = Role.PHYSICIST) -> APIClient:
    user = User.objects.create_user(f"person-{User.objects.count()}", password="x")
    for site in sites:
        Membership.objects.create(user=user, site=site, role=role)
    client = APIClient()
    client.force_authenticate(user)
    return client
