"""The navigation, the home page and the dashboard offer each person only the links their roles open.

Expected, from docs/access.md: uploaders and administrators upload; physicists and administrators map;
physicists, auditors and administrators export; auditors and administrators read the audit log;
administrators manage upload tokens; superusers everything. Reading pages are every member's.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from registry.models import Site
from tests.conftest import DEFAULT_PASSWORD, person

pytestmark = pytest.mark.django_db

LINKS = {
    "upload": "upload",
    "mapping": "mapping",
    "reports": "exports:reports",
    "audit_log": "access:audit-log",
    "tokens": "access:token-sites",
}
EVERY_MEMBER = ("dashboard-drl", "studies", "reference_levels:list", "quality:qa-studies")
SHOWN = {
    "uploader": {"upload"},
    "physicist": {"mapping", "reports"},
    "auditor": {"audit_log", "reports"},
    "administrator": {"upload", "mapping", "reports", "audit_log", "tokens"},
}


def _nav(html: str) -> str:
    match = re.search(r'<nav class="account">(.*?)</nav>', html, re.S)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize("role", sorted(SHOWN))
def test_the_navigation_follows_the_roles_held(client: Client, north: Site, role: str) -> None:
    user = person(f"u-{role}", (north, role))
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    nav = _nav(client.get("/reference-levels/").content.decode())
    for link, name in LINKS.items():
        assert (f'href="{reverse(name)}"' in nav) is (link in SHOWN[role]), link
    for name in EVERY_MEMBER:
        assert f'href="{reverse(name)}"' in nav


def test_a_superuser_sees_every_link(client: Client) -> None:
    user = person("root", superuser=True)
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    nav = _nav(client.get("/reference-levels/").content.decode())
    assert all(f'href="{reverse(name)}"' in nav for name in LINKS.values())


def test_the_home_page_calls_to_action_follow_the_role(client: Client, north: Site) -> None:
    uploader = person("u-up", (north, "uploader"))
    assert client.login(username=uploader.username, password=DEFAULT_PASSWORD)
    summary = client.get(reverse("upload-summary")).content.decode()
    assert "Upload dose reports" in summary
    client.logout()
    auditor = person("u-aud", (north, "auditor"))
    assert client.login(username=auditor.username, password=DEFAULT_PASSWORD)
    assert "Upload dose reports" not in client.get(reverse("upload-summary")).content.decode()
    assert 'href="/upload/"' not in client.get("/").content.decode()


def test_links_follow_a_role_given_before_the_next_sign_in(client: Client, north: Site) -> None:
    """A session from before the flags existed works them out on its first page."""
    user = person("u-late", (north, "auditor"))
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    session = client.session
    del session["kerma.navigation"]
    session.save()
    nav = _nav(client.get("/reference-levels/").content.decode())
    assert f'href="{reverse("access:audit-log")}"' in nav
