"""A new token's secret is on the page that follows its creation, once; never on any page after that."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from registry.models import Site, UploadToken

pytestmark = pytest.mark.django_db
LIST = "/sites/NORTH-01/tokens/"


def secret_on(html: str) -> str | None:
    match = re.search(r'<code class="secret">([^<]+)</code>', html)
    return match.group(1) if match else None


def test_the_secret_is_shown_on_the_page_after_creation(admin_client: Client, north: Site) -> None:
    response = admin_client.post(LIST + "new/", {"label": "PACS router"}, follow=True)
    secret = secret_on(response.content.decode())
    assert secret is not None
    token = UploadToken.objects.matching(secret).get()
    assert (token.site, token.label) == (north, "PACS router")


def test_a_second_view_of_the_page_does_not_show_it(admin_client: Client, north: Site) -> None:
    created = admin_client.post(LIST + "new/", {"label": ""})
    first = admin_client.get(created["Location"])
    secret = secret_on(first.content.decode())
    assert secret is not None
    again = admin_client.get(created["Location"]).content.decode()
    assert secret_on(again) is None
    assert secret not in again
    assert secret not in admin_client.get(LIST).content.decode()


def test_the_page_with_the_secret_is_never_cached(admin_client: Client, north: Site) -> None:
    created = admin_client.post(LIST + "new/", {"label": ""})
    assert "no-store" in admin_client.get(created["Location"])["Cache-Control"]


def test_the_list_shows_prefixes_labels_and_states(admin_client: Client, north: Site) -> None:
    active, _ = UploadToken.issue(north, label="modality router")
    revoked, _ = UploadToken.issue(north, label="old router")
    admin_client.post(f"{LIST}{revoked.pk}/revoke/")
    html = admin_client.get(LIST).content.decode()
    assert f"<code>{active.prefix}…</code>" in html
    assert "modality router" in html
    assert html.count(">Revoke</button>") == 1
