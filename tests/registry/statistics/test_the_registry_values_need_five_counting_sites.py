"""The registry typical value and DRL are a peer benchmark: given only once five sites reach the minimum.

With fewer, a member could work out another site's median (two sites: 2 x typical - own median; an odd
count: the typical value is one site's median), so the values are null with the reason. From five on, the
caller's own site is a named row and the other counting sites are anonymous medians.
"""

from __future__ import annotations

from typing import Any

import pytest

from registry.models import Site, StandardExam
from tests.registry.statistics.conftest import DRL_URL, dlp_studies, drl_query, member_client

pytestmark = pytest.mark.django_db

# Site medians 200, 300, 400, 500 (n = 3 each, the minimum sample), then a fifth at 600.
FOUR = {"NORTH": (100, 200, 300), "SOUTH": (200, 300, 400), "EAST": (300, 400, 500), "WEST": (400, 500, 600)}


@pytest.fixture
def north(exam: StandardExam, small_minimum: None) -> Site:
    for code, dlps in FOUR.items():
        dlp_studies(code, exam, *dlps)
    dlp_studies("TINY", exam, 5000, 6000)  # below the minimum sample: it never counts
    return Site.objects.get(code="NORTH")


def _registry(north: Site, exam: StandardExam) -> dict[str, Any]:
    response = member_client(north).get(DRL_URL, drl_query(exam))
    assert response.status_code == 200
    return dict(response.json())


def test_four_counting_sites_give_no_registry_values_but_the_reason(north: Site, exam: StandardExam) -> None:
    body = _registry(north, exam)
    registry = body["registry"]
    assert (registry["typical"], registry["drl"], registry["drl_display"]) == (None, None, None)
    assert (registry["drl_ci_low"], registry["drl_ci_high"]) == (None, None)
    assert registry["reason"] == "4 sites reach the minimum sample of 3; 5 are needed"
    assert (registry["sites_counted"], registry["minimum_sites"]) == (4, 5)
    assert body["peers"] == []
    assert [(row["site"], row["counts_towards_drl"], row["above_drl"]) for row in body["sites"]] == [
        ("NORTH", True, None)
    ]


def test_at_five_the_levels_are_the_percentiles_of_the_medians_and_the_others_anonymous(
    north: Site, exam: StandardExam
) -> None:
    dlp_studies("CENTRAL", exam, 500, 600, 700)
    body = _registry(north, exam)
    registry = body["registry"]
    # Medians 200 300 400 500 600: percentile_cont at (5 - 1) x 0.5 = 2 -> 400, at (5 - 1) x 0.75 = 3 -> 500.
    assert (registry["typical"], registry["drl"], registry["sites_counted"], registry["reason"]) == (
        400.0,
        500.0,
        5,
        None,
    )
    assert [(row["site"], row["median"], row["above_drl"]) for row in body["sites"]] == [
        ("NORTH", 200.0, False)
    ]
    # The four other counting sites (not TINY, below the minimum) by median and n only.
    assert sorted((peer["median"], peer["n"]) for peer in body["peers"]) == [
        (300, 3),
        (400, 3),
        (500, 3),
        (600, 3),
    ]
    assert all(set(peer) == {"n", "median", "median_display"} for peer in body["peers"])
    for code in ("SOUTH", "EAST", "WEST", "CENTRAL", "TINY"):
        assert code not in str(body)
