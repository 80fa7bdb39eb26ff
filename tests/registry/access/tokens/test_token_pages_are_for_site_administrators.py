"""Only the site's administrators (and superusers) see and change its tokens; others get 403 or 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from registry.models import Role, Site, UploadToken
from tests.conftest import person

pytestmark = pytest.mark.django_db
LIST = "/sites/NORTH-01/tokens/"


def who(name: str, north: Site, south: Site) -> User:
    people = {
        "administrator": lambda: person("a", (north, Role.ADMINISTRATOR)),
        "superuser": lambda: person("s", superuser=True),
        "physicist": lambda: person("p", (north, Role.PHYSICIST)),
        "uploader": lambda: person("u", (north, Role.UPLOADER)),
        "auditor": lambda: person("au", (north, Role.AUDITOR)),
        "administrator elsewhere": lambda: person("e", (south, Role.ADMINISTRATOR)),
        "nobody": lambda: person("n"),
    }
    return people[name]()


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("administrator", 200),
        ("superuser", 200),
        ("physicist", 403),
        ("uploader", 403),
        ("auditor", 403),
        ("administrator elsewhere", 404),
        ("nobody", 404),
    ],
)
def test_the_token_list(client: Client, north: Site, south: Site, name: str, status: int) -> None:
    client.force_login(who(name, north, south))
    assert client.get(LIST).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, north: Site) -> None:
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("action", ["new/", "rotate/", "{pk}/revoke/"])
def test_a_physicist_changes_nothing(client: Client, north: Site, action: str) -> None:
    token, _ = UploadToken.issue(north)
    client.force_login(person("p", (north, Role.PHYSICIST)))
    response = client.post(LIST + action.format(pk=token.pk), {"label": "x", "confirm": "on"})
    assert response.status_code == 403
    assert list(UploadToken.objects.values_list("pk", "revoked_at")) == [(token.pk, None)]


def test_a_token_of_another_site_cannot_be_revoked_through_mine(admin_client: Client, south: Site) -> None:
    theirs, _ = UploadToken.issue(south)
    assert admin_client.post(f"{LIST}{theirs.pk}/revoke/").status_code == 404
    assert UploadToken.objects.get(pk=theirs.pk).revoked_at is None


@pytest.mark.parametrize(
    ("name", "shown"), [("administrator", True), ("superuser", True), ("physicist", False)]
)
def test_the_nav_links_the_token_pages_for_administrators(
    client: Client, north: Site, south: Site, name: str, shown: bool
) -> None:
    client.force_login(who(name, north, south))
    assert (b'href="/sites/tokens/"' in client.get("/reference-levels/").content) is shown


def test_the_index_lists_the_administered_sites(admin_client: Client, south: Site) -> None:
    html = admin_client.get("/sites/tokens/").content.decode()
    assert 'href="/sites/NORTH-01/tokens/"' in html
    assert "SOUTH-02" not in html
