"""The DRL endpoint names only the caller's own groups, and compares them with the whole registry.

A token sees its site's row, a person their sites' rows; the registry typical value and DRL always come
from every site's medians, because that is what a site is compared with, and the other counting sites are
anonymous `peers` (median and n only).
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from registry.models import Site, StandardExam
from tests.registry.statistics.conftest import (
    DRL_URL,
    LevelFactory,
    dlp_studies,
    drl_query,
    member_client,
    token_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(exam: StandardExam, small_minimum: None) -> tuple[Site, Site]:
    """NORTH and SOUTH with a local level each, among five counting sites (medians 200 ... 800)."""
    north = dlp_studies("NORTH", exam, 100, 200, 300)[0].site
    south = dlp_studies("SOUTH", exam, 700, 800, 900)[0].site
    dlp_studies("EAST", exam, 400, 500, 600)
    dlp_studies("WEST", exam, 300, 400, 500)
    dlp_studies("CENTRAL", exam, 500, 600, 700)
    for site, value in ((north, 150.0), (south, 750.0)):
        LevelFactory.create(exam=exam, site=site, status="local", issuer=f"{site.code} physics", value=value)
    return north, south


def _body(client: APIClient, exam: StandardExam) -> dict[str, Any]:
    response = client.get(DRL_URL, drl_query(exam))
    assert response.status_code == 200
    return response.json()


def test_a_site_token_gets_only_its_own_sites_row_and_levels(
    sites: tuple[Site, Site], exam: StandardExam
) -> None:
    body = _body(token_client(sites[1]), exam)
    assert [row["site"] for row in body["sites"]] == ["SOUTH"]
    # Site medians 200 (NORTH), 400 (WEST), 500 (EAST), 600 (CENTRAL), 800 (SOUTH); inclusive percentiles:
    # typical at position 0.5 x 4 = 2: 500; DRL at 0.75 x 4 = 3: 600, from all five sites.
    assert (body["registry"]["typical"], body["registry"]["drl"]) == (500.0, 600.0)
    assert body["registry"]["sites_counted"] == 5
    # The four others as medians and n only, never a code.
    assert sorted((peer["median"], peer["n"]) for peer in body["peers"]) == [
        (200, 3),
        (400, 3),
        (500, 3),
        (600, 3),
    ]
    assert all(set(peer) == {"median", "n", "median_display"} for peer in body["peers"])
    assert [level["site"] for level in body["published"]] == ["SOUTH"]


def test_a_member_gets_the_rows_of_their_sites(sites: tuple[Site, Site], exam: StandardExam) -> None:
    assert [row["site"] for row in _body(member_client(sites[0]), exam)["sites"]] == ["NORTH"]


def test_a_superuser_gets_every_site(sites: tuple[Site, Site], exam: StandardExam) -> None:
    body = _body(member_client(superuser=True), exam)
    assert [row["site"] for row in body["sites"]] == ["CENTRAL", "EAST", "NORTH", "SOUTH", "WEST"]
    assert body["peers"] == []  # every counting site is named
    assert sorted(level["site"] for level in body["published"]) == ["NORTH", "SOUTH"]


def test_a_person_without_membership_gets_no_rows_but_the_registry_levels(
    sites: tuple[Site, Site], exam: StandardExam
) -> None:
    body = _body(member_client(), exam)
    assert (body["sites"], body["published"]) == ([], [])
    assert body["registry"]["sites_counted"] == 5  # the registry's anonymous levels still show
    assert len(body["peers"]) == 5
