"""Signed-in people with an uploader or administrator role at a site may post for it with `site=<code>`."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ingest.models import Submission
from registry.models import Role, Site
from tests.conftest import person
from tests.ingest.api.conftest import Post

pytestmark = pytest.mark.django_db


def _member(site: Site, role: Role) -> APIClient:
    client = APIClient()
    client.force_authenticate(person(f"{role}-person", (site, role)))
    return client


@pytest.mark.parametrize("role", [Role.UPLOADER, Role.ADMINISTRATOR])
def test_an_uploader_or_administrator_may_submit(post_file: Post, site: Site, role: Role) -> None:
    response = post_file("CT-RDSR-Siemens-Multi-1.dcm", client=_member(site, role), site=site.code)
    assert response.status_code == 202
    submission = Submission.objects.get()
    assert submission.site == site and submission.uploaded_by is not None
    assert submission.uploaded_by.username == f"{role}-person"


def test_a_physicist_may_not_submit(post_file: Post, site: Site) -> None:
    response = post_file("CT-RDSR-Siemens-Multi-1.dcm", client=_member(site, Role.PHYSICIST), site=site.code)
    assert response.status_code == 403
    assert Submission.objects.count() == 0


def test_a_session_user_must_name_the_site(post_file: Post, site: Site) -> None:
    response = post_file("CT-RDSR-Siemens-Multi-1.dcm", client=_member(site, Role.UPLOADER))
    assert response.status_code == 400
    assert "site" in response.json()
