"""A physicist opens the DRL chart, narrows the dates, clicks a site's bar and reaches a study's events.

The chart is read from the browser (the figure plotly drew) and compared with GET /api/v1/stats/drl/ for
the same person and parameters; the events are compared with the DICOM file itself.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pydicom
import pytest
from pydicom.sr.codedict import codes

from registry.models import Role, Site, StandardExam
from tests.conftest import corpus_file, person
from tests.e2e.conftest import EXAM, PASSWORD, PageProblems, screenshot, settle, sign_in, sr_values

if TYPE_CHECKING:
    from playwright.sync_api import ElementHandle, Page

pytestmark = pytest.mark.e2e

DRL_CHART = "div.chart[data-chart='chart-drl']"
MULTI = "CT-RDSR-Siemens-Multi-3.dcm"

# The medians plotly drew, by bar label, from the figure on the chart element (plotly keeps it there).
DRAWN_MEDIANS = """
(chart) => Object.fromEntries(
  chart.data.flatMap((trace) => trace.x.map((label, i) => [label, trace.y[i]]))
)
"""
# The screen box of one site's bar: traces are drawn as g.trace.bars in data order, bars in x order.
BAR_BOX = """
(chart, site) => {
  const traces = chart.querySelectorAll("g.trace.bars");
  for (const [t, trace] of chart.data.entries()) {
    const i = trace.x.indexOf(site);
    if (i < 0) continue;
    const box = traces[t].querySelectorAll("g.point path")[i].getBoundingClientRect();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }
  return null;
}
"""


def api_medians(page: Page, exam: StandardExam, **filters: str) -> dict[str, float]:
    """Each site's median DLP (display unit) from the statistics API, asked with the page's session."""
    params: dict[str, str | float | bool] = {"modality": "CT", "exam": exam.pk, "metric": "dlp", **filters}
    response = page.request.get("/api/v1/stats/drl/", params=params)
    assert response.ok, response.text()
    return {row["site"]: row["display"]["median"] for row in response.json()["sites"]}


def drawn_chart(page: Page) -> ElementHandle:
    """The DRL chart element once plotly has drawn its bars (charts.js marks it data-drawn)."""
    chart = page.locator(f"{DRL_CHART}[data-drawn]:not([data-stale])")
    chart.locator("g.trace.bars").first.wait_for()
    return chart.element_handle()


def reveal_every_chart(page: Page) -> None:
    """Scroll each deferred chart into view, as a reader would, until htmx fetched and plotly drew it."""
    from playwright.sync_api import expect

    pending = page.locator("section.chart-section[hx-trigger]")
    while (left := pending.count()) > 0:
        pending.first.scroll_into_view_if_needed()
        expect(pending).not_to_have_count(left)
        settle(page)  # sections revealed by the same scroll may still be on their way
    for chart in page.locator("div.chart").all():
        expect(chart).to_have_attribute("data-drawn", "true")


def test_a_filtered_site_bar_leads_to_its_studies_and_a_studys_events(
    page: Page, problems: PageProblems, two_sites: dict[str, Site]
) -> None:
    from playwright.sync_api import expect

    exam = StandardExam.objects.get(modality="CT", name=EXAM)
    physicist = person("phoebe", *((site, Role.PHYSICIST) for site in two_sites.values()), password=PASSWORD)
    sign_in(page, physicist, "physicist")
    screenshot(page, "physicist-1-home")

    page.get_by_role("link", name="Dashboards", exact=True).click()
    expect(page.locator("select[name=metric]")).to_have_value("dlp")  # CT's first metric, the default
    assert drawn_chart(page).evaluate(DRAWN_MEDIANS) == pytest.approx(api_medians(page, exam))
    reveal_every_chart(page)
    screenshot(page, "physicist-2-dashboard")

    page.locator(DRL_CHART).evaluate("chart => { chart.dataset.stale = 'true'; }")
    with page.expect_response(re.compile(r"/dashboards/drl/\?.*date_from=2016-01-01")):
        page.get_by_label("From", exact=True).fill("2016-01-01")
    chart = drawn_chart(page)
    filtered = api_medians(page, exam, date_from="2016-01-01")
    assert chart.evaluate(DRAWN_MEDIANS) == pytest.approx(filtered)
    assert filtered != api_medians(page, exam)  # the filter did change the chart
    screenshot(page, "physicist-3-filtered")

    chart.scroll_into_view_if_needed()  # the mouse clicks where the bar is on the screen
    box = chart.evaluate(BAR_BOX, "NORTH")
    assert box is not None
    page.mouse.move(box["x"], box["y"])
    label = page.locator(".hoverlayer .hovertext tspan.line").first
    expect(label).to_have_text("NORTH")
    expect(label).to_have_css("font-weight", "700")  # kerma.css: plotly's <b> would break the CSP
    screenshot(page, "physicist-4-hover")
    page.mouse.click(box["x"], box["y"])
    page.wait_for_url(re.compile(r"/studies/\?.*site=NORTH"))
    assert "date_from=2016-01-01" in page.url and f"exam={exam.pk}" in page.url
    listed = page.request.get(
        "/api/v1/studies/", params={"site": "NORTH", "exam": exam.pk, "date_from": "2016-01-01"}
    )
    expect(page.locator("table.studies tbody tr")).to_have_count(listed.json()["count"])
    screenshot(page, "physicist-5-studies")

    description = pydicom.dcmread(corpus_file(MULTI)).StudyDescription  # DICOM's caret reads as a space
    page.get_by_role("link", name=description.replace("^", " ")).click()
    events = page.locator("table.events tbody tr")
    # Multi-3 is the cumulative report: its CT acquisitions' DLPs (113838) are every event of the study.
    dlps = sr_values(corpus_file(MULTI), codes.DCM.DLP)
    expect(page.get_by_role("heading", name=f"Irradiation events ({len(dlps)})")).to_be_visible()
    shown = [float(text) for text in events.locator("td:nth-child(6)").all_inner_texts()]
    assert sorted(shown) == pytest.approx(sorted(dlps), rel=0.005)  # shown with 3 significant digits
    scout = events.filter(has_text="localizer")
    expect(scout).to_have_count(1)  # the topogram, CT Acquisition Type 113805
    expect(scout.locator("td:nth-child(5)")).to_contain_text("(not counted)")
    screenshot(page, "physicist-6-study")
    settle(page)
    assert problems.found == []
