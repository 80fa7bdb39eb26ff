"""CTDIvol and DLP against time per protocol: the median per calendar month of the study date with its n,
one panel per metric, and a month without events a gap in the line (never joined across).

Head: January CTDIvol 40 and 60 (median 50, n 2; DLP 800 and 1000, median 900), no February, March 45
(DLP 700). Chest only in February. An undated study is in no month.
"""

from __future__ import annotations

from datetime import date

import pytest

from registry.models import Site
from tests.registry.dashboards.conftest import member_browser, site
from tests.registry.dashboards.protocol_helpers import chart, events, subtitle
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def north() -> Site:
    north = site("NORTH")
    made = (
        (date(2025, 1, 3), "Head", 40.0, 800.0),
        (date(2025, 1, 28), "Head", 60.0, 1000.0),
        (date(2025, 3, 9), "Head", 45.0, 700.0),
        (date(2025, 2, 9), "Chest", 9.0, 300.0),
        (None, "Head", 999.0, 9e4),
    )
    for day, protocol, ctdivol, dlp in made:
        study = StudyFactory.create(site=north, study_date=day)
        events(study, protocol, {"ctdivol_mgy": ctdivol, "dlp_mgycm": dlp})
    return north


def test_a_protocols_monthly_medians_break_at_an_empty_month(north: Site) -> None:
    figure = chart(member_browser(north), "timeline", modality="CT", protocol="Head")
    ctdivol, dlp = figure["data"]
    assert ctdivol["x"] == ["2025-01-01", "2025-02-01", "2025-03-01"]
    assert ctdivol["y"] == [50.0, None, 45.0]
    assert ctdivol["customdata"] == [2, None, 1]
    assert ctdivol["connectgaps"] is False
    assert ctdivol["text"] == ["n=2", "", "n=1"]  # a protocol drawn alone writes n at each point
    assert (dlp["y"], dlp["yaxis"]) == ([900.0, None, 700.0], "y2")
    assert "3 events in 3 studies at 1 site with a study date" in subtitle(figure)


def test_without_a_protocol_the_busiest_are_drawn_each_in_its_months(north: Site) -> None:
    figure = chart(member_browser(north), "timeline", modality="CT")
    lines = {(trace["name"], trace["yaxis"]): trace for trace in figure["data"]}
    assert set(lines) == {("Head", "y"), ("Chest", "y"), ("Head", "y2"), ("Chest", "y2")}
    assert (lines["Chest", "y"]["x"], lines["Chest", "y"]["y"]) == (["2025-02-01"], [9.0])
    assert [trace["showlegend"] for trace in figure["data"]] == [True, True, False, False]
    assert "4 events in 4 studies at 1 site" in subtitle(figure)
