"""The dashboard prints with every chart drawn, the deferred ones too, at the paper's width.

The dashboard fetches its charts after the first only when they scroll into view, which printing never does:
the Print button fetches them all before it prints, and printing from the browser's menu (its "beforeprint")
starts fetching them. The printed PDF is read back with pypdf for each chart's titles.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader

from registry.models import Role, Site
from tests.conftest import person
from tests.e2e.conftest import PASSWORD, PageProblems, screenshot, settle, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

# A4 between margins of 15 mm, in CSS pixels: what a chart may span to fit on paper.
PAPER_WIDTH = 680
# What the page holds when window.print() is called (the test stands in for the browser's dialog).
RECORD_PRINT = """
() => {
  window.print = () => {
    const charts = [...document.querySelectorAll("div.chart")];
    window.kermaPrinted = {
      deferred: document.querySelectorAll("section.chart-section[hx-get]").length,
      drawn: charts.filter((chart) => chart.querySelector("svg.main-svg")).length,
      widths: charts.map((chart) => chart._fullLayout && chart._fullLayout.width),
    };
  };
}
"""
# Trace types the drawn figures use that the vendored bundle has not registered (plotly draws those empty).
UNREGISTERED_TRACES = """
() => {
  const registered = new Set(Object.keys(window.Plotly.PlotSchema.get().traces));
  return [...document.querySelectorAll("div.chart[data-drawn]")]
    .flatMap((chart) => chart.data.map((trace) => trace.type || "scatter"))
    .filter((type) => !registered.has(type));
}
"""
WIDTHS = "charts => charts.map((chart) => chart._fullLayout && chart._fullLayout.width)"
ALL_AT_WIDTH = """
(width) => [...document.querySelectorAll("div.chart")].every(
  (chart) => chart._fullLayout && chart._fullLayout.width === width
)
"""
FIGURE_TITLES = "charts => charts.map((chart) => chart.layout.title.text)"


def title_lines(title: str) -> list[str]:
    """The lines plotly draws of a title: split at <br>, the other tags dropped, white space as one."""
    lines = (re.sub(r"<[^>]+>", "", line) for line in re.split(r"<br\s*/?>", title))
    return [" ".join(line.split()) for line in lines if line.strip()]


def open_dashboard(page: Page, sites: dict[str, Site], journey: str) -> None:
    physicist = person(journey, *((site, Role.PHYSICIST) for site in sites.values()), password=PASSWORD)
    sign_in(page, physicist, journey)
    page.goto("/dashboards/drl/")
    page.locator("div.chart[data-drawn]").first.wait_for()


def test_the_print_button_draws_every_deferred_chart_before_it_prints(
    page: Page, problems: PageProblems, two_sites: dict[str, Site]
) -> None:
    open_dashboard(page, two_sites, "printer")
    sections = page.locator("section.chart-section")
    assert page.locator("section.chart-section[hx-get]").count() > 0  # some charts are still to fetch
    page.evaluate(RECORD_PRINT)

    page.get_by_role("button", name="Print").click()
    page.wait_for_function("() => window.kermaPrinted")

    printed = page.evaluate("() => window.kermaPrinted")
    count = sections.count()
    assert count == page.locator("nav.chart-tabs a").count()
    assert printed == {"deferred": 0, "drawn": count, "widths": [PAPER_WIDTH] * count}
    screenshot(page, "printer-1-ready-to-print")
    settle(page)
    assert problems.found == []


def test_printing_draws_every_chart_and_the_pdf_holds_their_titles(
    page: Page, problems: PageProblems, two_sites: dict[str, Site]
) -> None:
    from playwright.sync_api import expect

    open_dashboard(page, two_sites, "reader")
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # as the browser's Print menu does

    sections = page.locator("section.chart-section")
    expect(page.locator("section.chart-section[hx-get]")).to_have_count(0)
    expect(sections).to_have_count(page.locator("nav.chart-tabs a").count())
    for section in sections.all():
        expect(section.locator("div.chart[data-drawn] svg.main-svg").first).to_be_attached()
    charts = page.locator("div.chart")
    page.wait_for_function(ALL_AT_WIDTH, arg=PAPER_WIDTH)  # those drawn for paper are redrawn at its width
    assert charts.evaluate_all(WIDTHS) == [PAPER_WIDTH] * sections.count()
    assert page.evaluate(UNREGISTERED_TRACES) == []

    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(" ".join(sheet.extract_text().split()) for sheet in pdf.pages)
    headings = sections.locator("h2").all_inner_texts()
    titles = charts.evaluate_all(FIGURE_TITLES)
    assert len(headings) == len(titles) == sections.count()
    for title in [*headings, *titles]:
        for line in title_lines(title):
            assert line in text
    settle(page)
    assert problems.found == []
