"""The monthly trend writes n at each month and leaves a gap where a site had no studies, never a line
joining the months either side."""

from __future__ import annotations

from datetime import date

import pytest

from registry.models import StandardExam
from tests.registry.dashboards.conftest import chart, member_browser, site
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db
PARAMS = {"modality": "CT", "metric": "dlp"}


def _studies(code: str, exam: StandardExam, *dated: tuple[date, float]) -> None:
    here = site(code)
    for day, dlp in dated:
        StudyFactory.create(site=here, standard_exam=exam, study_date=day, ct_dlp_total_mgycm=dlp)


def test_a_month_without_studies_is_a_gap_and_each_month_says_its_n(head: StandardExam) -> None:
    _studies(
        "NORTH",
        head,
        (date(2025, 1, 3), 100.0),
        (date(2025, 1, 30), 300.0),
        (date(2025, 3, 12), 250.0),  # nothing in February
        (date(2025, 4, 1), 400.0),
        (date(2025, 4, 30), 500.0),
    )
    figure = chart(member_browser(site("NORTH")), "trend", {**PARAMS, "exam": head.pk})
    (line,) = figure["data"]
    assert line["x"] == ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"]
    assert line["y"] == [200.0, None, 250.0, 450.0]  # medians of 100 and 300; none; 250; of 400 and 500
    assert line["connectgaps"] is False
    assert line["customdata"] == [2, None, 1, 2]
    assert line["text"] == ["n=2", "", "n=1", "n=2"]  # one site: n written at each month
    assert "text" in line["mode"].split("+") and "n = %{customdata}" in line["hovertemplate"]
    axis = figure["layout"]["xaxis"]
    assert (axis["type"], axis["dtick"], axis["tickformat"]) == ("date", "M1", "%b %Y")  # a tick per month


def test_several_sites_keep_their_own_gaps_and_n_in_the_hover(head: StandardExam) -> None:
    _studies("NORTH", head, (date(2025, 1, 3), 100.0), (date(2025, 3, 3), 300.0))
    _studies("SOUTH", head, (date(2025, 2, 3), 200.0), (date(2025, 2, 4), 220.0))
    client = member_browser(site("NORTH"), site("SOUTH"))
    lines = {trace["name"]: trace for trace in chart(client, "trend", {**PARAMS, "exam": head.pk})["data"]}
    assert (lines["NORTH"]["x"], lines["NORTH"]["y"]) == (
        ["2025-01-01", "2025-02-01", "2025-03-01"],
        [100.0, None, 300.0],
    )
    assert (lines["SOUTH"]["x"], lines["SOUTH"]["y"], lines["SOUTH"]["customdata"]) == (
        ["2025-02-01"],
        [210.0],
        [2],
    )
    for line in lines.values():  # two lines of numbers would overlap: n is in the hover
        assert line["mode"] == "lines+markers" and "n = %{customdata}" in line["hovertemplate"]
