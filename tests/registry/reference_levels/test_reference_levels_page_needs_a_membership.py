"""The library is for signed-in members of a site (or superusers); it carries no inline script or style."""

from __future__ import annotations

import pytest
from django.test import Client

from registry.models import Role, Site
from tests.conftest import person

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_login_page(client: Client) -> None:
    response = client.get("/reference-levels/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_without_a_membership_is_refused(client: Client) -> None:
    client.force_login(person("nobody"))
    assert client.get("/reference-levels/").status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_any_member_may_view_without_inline_scripts_or_styles(
    client: Client, north: Site, role: Role
) -> None:
    client.force_login(person("someone", (north, role)))
    response = client.get("/reference-levels/")
    assert response.status_code == 200
    assert b"<script" not in response.content
    assert b"style=" not in response.content
    assert b'href="/reference-levels/"' in response.content  # the nav link
