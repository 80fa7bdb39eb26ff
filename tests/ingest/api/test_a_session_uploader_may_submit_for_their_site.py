"""Signed-in people with an uploader or administrator role at a site may post for it with `site=<code>`."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from ingest.models import Submission
from registry.models import Membership, Role, Site
from tests.ingest.api.conftest import Post

pytestmark = pytest.mark.django_db


def _member(site: Site, role: Role) -> APIClient:
    user = User.objects.create_user(f"{role}-person", password="x")
    Membership.objects.create(user=user, site=site, role=role)
    client = APIClient()
    client.force_authenticate(user)
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
