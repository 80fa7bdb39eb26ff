"""Per CT acquisition protocol: n, median, mean, P25 and P75 of CTDIvol and DLP per event, hand-computed,
over the CT events that count (no localizer, a CTDIvol reported) of adult patients' studies; a table and a
chart of boxes, both saying which events they count.

Head routine: CTDIvol 40, 50, 60, 70 mGy (DLP 800, 1000, 1200, 1400 mGy·cm) in two studies. Percentiles at
(n - 1)·f of the sorted values (PostgreSQL's percentile_cont): P25 at 0.75 → 40 + 0.75·10 = 47.5,
median 55, P75 at 2.25 → 60 + 0.25·10 = 62.5; DLP P25 950, median 1100, P75 1250; means 55 and 1100.
"""

from __future__ import annotations

import pytest

from registry.models import Site
from tests.registry.dashboards.conftest import member_browser, site
from tests.registry.dashboards.protocol_helpers import events, page, subtitle, table_rows
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def north() -> Site:
    north = site("NORTH")
    first, second = StudyFactory.create(site=north), StudyFactory.create(site=north)
    events(
        first,
        "Head^Routine",
        {"ctdivol_mgy": 40.0, "dlp_mgycm": 800.0},
        {"ctdivol_mgy": 60.0, "dlp_mgycm": 1200.0},
    )
    events(
        second,
        "Head^Routine",
        {"ctdivol_mgy": 50.0, "dlp_mgycm": 1000.0},
        {"ctdivol_mgy": 70.0, "dlp_mgycm": 1400.0},
    )
    # Not counted: a localizer, an event without a CTDIvol, a QA phantom scan and a child (the population).
    events(first, "Topogram", {"ctdivol_mgy": 0.2, "dlp_mgycm": 5.0, "localizer": True})
    events(second, "Head^Routine", {"ctdivol_mgy": None, "dlp_mgycm": 999.0})
    events(StudyFactory.create(site=north, qa=True), "Head^Routine", {"ctdivol_mgy": 500.0, "dlp_mgycm": 9e3})
    events(StudyFactory.create(site=north, patient_age_years=5.0), "Head^Routine", {"ctdivol_mgy": 5.0})
    events(StudyFactory.create(site=north), "Chest", {"ctdivol_mgy": 8.0, "dlp_mgycm": 300.0})
    return north


def test_the_table_shows_each_protocols_hand_computed_statistics(north: Site) -> None:
    html, _ = page(member_browser(north), modality="CT")
    rows = table_rows(html)
    assert list(rows) == ["Head Routine", "Chest"]  # busiest first, carets shown as spaces
    # Studies, sites, then CTDIvol n, median, mean, P25, P75 and DLP n, median, mean, P25, P75.
    assert rows["Head Routine"] == [
        "2",
        "1",
        "4",
        "55",
        "55",
        "47.5",
        "62.5",
        "4",
        "1100",
        "1100",
        "950",
        "1250",
    ]
    assert rows["Chest"] == ["1", "1", "1", "8", "8", "8", "8", "1", "300", "300", "300", "300"]


def test_the_page_says_which_events_count_and_how_many(north: Site) -> None:
    html, _ = page(member_browser(north), modality="CT")
    assert (
        "CT events except localizers (CT Acquisition Type Constant Angle, 113805) that report a CTDIvol"
        in html
    )
    assert "5 events in 3 studies at 1 site" in html
    assert "Topogram" not in html


def test_the_chart_draws_the_same_quartiles_per_protocol(north: Site) -> None:
    _, figures = page(member_browser(north), modality="CT")
    figure = figures["chart-protocols"]
    ctdivol, dlp = figure["data"]
    assert ctdivol["y"] == ["Head Routine (n=4)", "Chest (n=1)"]
    assert (ctdivol["q1"], ctdivol["median"], ctdivol["q3"]) == ([47.5, 8.0], [55.0, 8.0], [62.5, 8.0])
    assert (ctdivol["lowerfence"], ctdivol["upperfence"]) == ([40.0, 8.0], [70.0, 8.0])
    assert (dlp["q1"], dlp["median"], dlp["q3"]) == ([950.0, 300.0], [1100.0, 300.0], [1250.0, 300.0])
    assert "5 events in 3 studies at 1 site" in subtitle(figure)
    assert "mGy·cm" in figure["layout"]["xaxis2"]["title"]["text"]
