"""Only a site's uploaders and administrators (and superusers) may open the upload page."""

from __future__ import annotations

import pytest
from django.test import Client

from registry.models import Role, Site
from tests.conftest import person

pytestmark = pytest.mark.django_db


def test_a_user_without_any_membership_is_refused(client: Client, site: Site) -> None:
    client.force_login(person("nobody"))
    assert client.get("/upload/").status_code == 403


@pytest.mark.parametrize("role", [Role.PHYSICIST, Role.AUDITOR])
def test_a_member_in_another_role_is_refused(client: Client, site: Site, role: Role) -> None:
    client.force_login(person("someone", (site, role)))
    assert client.get("/upload/").status_code == 403


@pytest.mark.parametrize("role", [Role.UPLOADER, Role.ADMINISTRATOR])
def test_an_uploader_or_administrator_sees_the_form_for_their_site(
    client: Client, site: Site, role: Role
) -> None:
    client.force_login(person("uploader", (site, role)))
    response = client.get("/upload/")
    assert response.status_code == 200
    assert b'type="file"' in response.content and b"multiple" in response.content
    assert site.code.encode() in response.content


def test_an_uploader_cannot_post_for_a_site_they_do_not_belong_to(client: Client, site: Site) -> None:
    other = Site.objects.create(code="SOUTH-02", name="South Clinic")
    client.force_login(person("uploader", (site, Role.UPLOADER)))
    response = client.post("/upload/", {"site": other.code})
    assert response.status_code == 200
    assert not other.submissions.exists()
    assert b"Select a valid choice" in response.content
