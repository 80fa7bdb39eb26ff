"""The mapping page is for a site's physicists and administrators, and superusers; each for their sites."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from registry.models import MappingRule, Role, Site
from tests.conftest import person
from tests.registry.mapping.conftest import MakeStudy, exam

pytestmark = pytest.mark.django_db


def test_anonymous_people_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/mapping/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", [Role.UPLOADER, Role.AUDITOR])
def test_other_roles_are_refused(client: Client, north: Site, role: str) -> None:
    client.force_login(person("someone", (north, role)))
    assert client.get("/mapping/").status_code == 403
    assert client.post("/mapping/rules/new/", {}).status_code == 403


@pytest.mark.parametrize("role", [Role.PHYSICIST, Role.ADMINISTRATOR])
def test_physicists_and_administrators_see_their_sites_names_only(
    client: Client, north: Site, south: Site, make_study: MakeStudy, role: str
) -> None:
    make_study(north, "HEAD WO")
    make_study(south, "BRAIN NON CONTRAST")
    client.force_login(person("pat", (north, role)))
    page = client.get("/mapping/").content.decode()
    assert "HEAD WO" in page and "BRAIN NON CONTRAST" not in page


def test_a_physicist_cannot_map_another_sites_names(client: Client, north: Site, south: Site) -> None:
    client.force_login(person("pat", (north, Role.PHYSICIST)))
    form = {"name": "BRAIN NON CONTRAST", "site": south.code, "field": "study_description"}
    response = client.post("/mapping/rules/new/", form | {"exam": exam("CT", "Head").pk})
    assert response.status_code == 403
    assert not MappingRule.objects.exists()


def test_an_unknown_site_code_is_refused_like_another_sites(client: Client, north: Site, south: Site) -> None:
    """The same 403 either way, so the answer does not tell which site codes exist."""
    client.force_login(person("pat", (north, Role.PHYSICIST)))
    form = {"name": "HEAD WO", "field": "study_description", "exam": exam("CT", "Head").pk}
    unknown = client.post("/mapping/rules/new/", form | {"site": "NO-SUCH-SITE"})
    other = client.post("/mapping/rules/new/", form | {"site": south.code})
    assert (unknown.status_code, other.status_code) == (403, 403)
    # The pages differ only in the sign-out form's CSRF token, which Django masks anew for every page.
    assert _without_csrf(unknown.content) == _without_csrf(other.content)


def _without_csrf(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", html)


def test_a_physicist_cannot_make_global_rules(client: Client, north: Site) -> None:
    client.force_login(person("pat", (north, Role.PHYSICIST)))
    form = {"name": "HEAD WO", "site": north.code, "field": "study_description", "all_sites": "on"}
    assert client.post("/mapping/rules/new/", form | {"exam": exam("CT", "Head").pk}).status_code == 403


def test_another_sites_rules_cannot_be_edited_or_deleted(client: Client, north: Site, south: Site) -> None:
    """Another site's rule is a 404 (its id reveals nothing); a global rule, shown to all, is a 403."""
    theirs = MappingRule.objects.create(exam=exam("CT", "Head"), pattern="HEAD WO", site=south)
    global_rule = MappingRule.objects.create(exam=exam("CT", "Chest"), pattern="CHEST")
    client.force_login(person("pat", (north, Role.PHYSICIST)))
    for rule, status in ((theirs, 404), (global_rule, 403)):
        assert client.get(f"/mapping/rules/{rule.pk}/").status_code == status
        assert client.post(f"/mapping/rules/{rule.pk}/delete/").status_code == status
    assert MappingRule.objects.count() == 2
