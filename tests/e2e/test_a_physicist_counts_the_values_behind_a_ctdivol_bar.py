"""A physicist switches the DRL chart to CTDIvol per sequence and clicks a site's bar: the studies list shows
as many CTDIvol values as the hover's n (sequences, localizers left out), not the number of studies.

The n is read from the figure plotly drew and compared with GET /api/v1/stats/drl/ for the same person.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from registry.models import Role, Site, StandardExam
from tests.conftest import person
from tests.e2e.conftest import EXAM, PASSWORD, PageProblems, screenshot, settle, sign_in
from tests.e2e.test_a_physicist_goes_from_the_drl_chart_to_a_studys_events import (
    BAR_BOX,
    DRL_CHART,
    drawn_chart,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

# The n in a bar's hover: the first item of its customdata.
DRAWN_N = """
(chart, site) => {
  for (const trace of chart.data) {
    const i = trace.x.indexOf(site);
    if (i >= 0 && trace.customdata) return trace.customdata[i][0];
  }
  return null;
}
"""


def test_a_ctdivol_bar_lists_as_many_values_as_its_n(
    page: Page, problems: PageProblems, two_sites: dict[str, Site]
) -> None:
    from playwright.sync_api import expect

    exam = StandardExam.objects.get(modality="CT", name=EXAM)
    physicist = person("percy", *((site, Role.PHYSICIST) for site in two_sites.values()), password=PASSWORD)
    sign_in(page, physicist, "ctdivol")
    page.goto("/dashboards/drl/")
    drawn_chart(page)
    page.locator(DRL_CHART).evaluate("chart => { chart.dataset.stale = 'true'; }")
    with page.expect_response(re.compile(r"/dashboards/drl/\?.*metric=ctdivol")):
        page.locator("select[name=metric]").select_option("ctdivol")
    chart = drawn_chart(page)
    n = chart.evaluate(DRAWN_N, "NORTH")
    params: dict[str, str | float | bool] = {"modality": "CT", "exam": exam.pk, "metric": "ctdivol"}
    api = page.request.get("/api/v1/stats/drl/", params=params).json()
    assert n == next(row["n"] for row in api["sites"] if row["site"] == "NORTH")

    chart.scroll_into_view_if_needed()
    box = chart.evaluate(BAR_BOX, "NORTH")
    assert box is not None
    page.mouse.click(box["x"], box["y"])
    page.wait_for_url(re.compile(r"/studies/\?.*metric=ctdivol.*site=NORTH"))
    expect(page.locator("table.studies th").filter(has_text="CTDIvol per sequence (mGy)")).to_have_count(1)
    cells = page.locator("table.studies td.metric-values").all_inner_texts()
    values = [value for cell in cells for value in cell.split(", ") if value]
    assert len(values) == n
    expect(page.locator("p.values-behind strong").first).to_have_text(str(n))
    screenshot(page, "ctdivol-1-values-behind-the-bar")
    settle(page)
    assert problems.found == []
