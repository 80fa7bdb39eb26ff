"""The revise page: the site's physicists for local levels, superusers for any; others 403 or 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from registry.models import LevelKind, ReferenceLevel, Role, Site
from tests.conftest import person
from tests.registry.reference_levels.conftest import local_dap, page


def test_the_sites_physicist_saves_a_new_version_in_display_units(
    client: Client, north: Site, physicist: User
) -> None:
    level = local_dap(north, physicist, gym2=0.0015)
    client.force_login(physicist)
    page = client.get(f"/reference-levels/{level.pk}/revise/").content.decode()
    assert 'value="15"' in page
    response = client.post(f"/reference-levels/{level.pk}/revise/", {"value": "12", "note": "re-audit"})
    revised = ReferenceLevel.objects.current().get(site=north)
    assert response.status_code == 302
    assert response["Location"] == f"/reference-levels/{revised.pk}/history/"
    assert (revised.version, revised.value, revised.status) == (2, pytest.approx(0.0012), "local")


def test_an_uploader_of_the_site_is_refused(client: Client, north: Site, physicist: User) -> None:
    level = local_dap(north, physicist)
    client.force_login(person("uploader", (north, Role.UPLOADER)))
    assert client.get(f"/reference-levels/{level.pk}/revise/").status_code == 403
    assert client.post(f"/reference-levels/{level.pk}/revise/", {"value": "12"}).status_code == 403


def test_a_physicist_of_another_site_does_not_see_the_level(
    client: Client, north: Site, south: Site, physicist: User
) -> None:
    level = local_dap(north, physicist)
    client.force_login(person("elsewhere", (south, Role.PHYSICIST)))
    assert client.get(f"/reference-levels/{level.pk}/revise/").status_code == 404
    assert client.get(f"/reference-levels/{level.pk}/history/").status_code == 404
    assert "NORTH-01" not in page(client, "/reference-levels/")


def published_level() -> ReferenceLevel:
    fields = {"metric": "ctdivol", "unit": "mGy", "source_unit": "mGy", "scope": "per_sequence", "value": 80}
    return ReferenceLevel.objects.create(
        kind=LevelKind.THRESHOLD, issuer="AAPM", year=2011, modality="CT",
        name="Adult head notification value", status="unverified", **fields,
    )  # fmt: skip


def test_a_physicist_may_not_revise_a_published_level(client: Client, physicist: User) -> None:
    client.force_login(physicist)
    assert client.get(f"/reference-levels/{published_level().pk}/revise/").status_code == 403


def test_a_superuser_verifies_a_published_level(client: Client, admin_user: User) -> None:
    level = published_level()
    client.force_login(admin_user)
    response = client.post(
        f"/reference-levels/{level.pk}/revise/", {"value": "80", "status": "verified", "note": ""}
    )
    assert response.status_code == 302
    current = ReferenceLevel.objects.current().get(name="Adult head notification value")
    assert (current.version, current.status, current.value) == (2, "verified", 80)
