"""`above_drl` is strictly greater than the registry DRL; `counts_towards_drl` and `sites_counted` agree."""

from __future__ import annotations

import pytest

from registry.models import StandardExam
from tests.registry.statistics.conftest import DRL_URL, dlp_studies, drl_query, member_client

pytestmark = pytest.mark.django_db


def test_the_site_at_the_drl_is_not_above_it_and_the_counts_agree(
    exam: StandardExam, small_minimum: None
) -> None:
    # Medians 100, 200, 300, 400 (SITE-D), 500; DRL at position (5 - 1) x 0.75 = 3: 400, SITE-D's own median.
    for code, median in (("SITE-A", 100), ("SITE-B", 200), ("SITE-C", 300), ("SITE-D", 400), ("SITE-E", 500)):
        dlp_studies(code, exam, median - 10, median, median + 10)
    dlp_studies("SITE-F", exam, 900, 1000)  # n = 2: listed and rated, but not counted
    body = member_client(superuser=True).get(DRL_URL, drl_query(exam)).json()
    assert body["registry"]["drl"] == 400.0
    rows = {row["site"]: row for row in body["sites"]}
    assert (rows["SITE-D"]["median"], rows["SITE-D"]["above_drl"]) == (400.0, False)
    assert (rows["SITE-E"]["above_drl"], rows["SITE-F"]["above_drl"]) == (True, True)
    counted = [row["site"] for row in body["sites"] if row["counts_towards_drl"]]
    assert len(counted) == body["registry"]["sites_counted"] == 5 and "SITE-F" not in counted
