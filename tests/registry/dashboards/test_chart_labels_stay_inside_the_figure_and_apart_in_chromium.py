"""Drawn by plotly.js in Chromium at a wide window, the dashboard's column and a phone, no label, title or
note of a chart overlaps another, no text leaves the figure, and drawing needs no inline style (the
site's CSP is `style-src 'self'`).

The figures are the ones the chart fragments serve; plotly.js is the bundle of the installed plotly
package (the version the figures are built for; the site's partial bundle draws these traces alike), in a
page with the site's style policy and the elements that keep plotly from injecting styles
(templates/registry/dashboard/_scripts.html). Skipped, saying so, where Playwright or Debian's chromium
is missing, like tests/e2e.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import plotly
import pytest

from registry.models import Site, StandardExam, Study
from tests.registry.dashboards.conftest import Browser, chart, member_browser, site
from tests.registry.statistics.conftest import DeviceFactory, LevelFactory, ReportFactory, StudyFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "templates" / "registry" / "dashboard" / "_scripts.html"
PLOTLY_CSS = ROOT / "static" / "vendor" / "plotly" / "plotly.css"
ORIGIN = "http://kerma.test"  # served by the page's own routes: no network
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
WIDTHS = (1400, 890, 390)
# Follow-up thresholds in canonical units (Gy, Gy·m²): two of air kerma, two of DAP 50 Gy·cm² apart.
THRESHOLDS = (
    ("SRDL reference air kerma", "dose_rp", 5.0, "Gy"),
    ("Notification air kerma", "dose_rp", 4.0, "Gy"),
    ("SRDL air kerma-area product", "dap", 0.05, "Gy.m2"),
    ("Notification DAP", "dap", 0.045, "Gy.m2"),
)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.e2e,
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None or not os.access(CHROMIUM, os.X_OK),
        reason=f"needs chromium at {CHROMIUM}: apt-get install chromium (.ci/run installs it)",
    ),
]

# Every text box plotly drew, relative to the figure: annotations, title and subtitle must not overlap one
# another; they, the axis titles, tick labels and legend entries must lie inside the figure.
BOXES = """
(element) => {
  const figure = element.querySelector("svg.main-svg").getBoundingClientRect();
  const box = (node, kind) => {
    const r = node.getBoundingClientRect();
    return {kind, text: node.textContent, left: r.left - figure.left, right: r.right - figure.left,
            top: r.top - figure.top, bottom: r.bottom - figure.top};
  };
  const all = (selector, kind) => [...element.querySelectorAll(selector)].map((node) => box(node, kind));
  return {
    width: figure.width, height: figure.height,
    labels: [...all("g.annotation-text-g", "label"), ...all(".gtitle, .gtitle-subtitle", "title")],
    texts: all(".g-xtitle, .g-ytitle, .xtick text, .ytick text, .legendtext", "text"),
  };
}
"""


def _overlap(one: dict[str, Any], other: dict[str, Any]) -> bool:
    return bool(
        one["left"] < other["right"] - 1
        and other["left"] < one["right"] - 1
        and one["top"] < other["bottom"] - 1
        and other["top"] < one["bottom"] - 1
    )


@pytest.fixture
def figures(
    everyone: Browser, head: StandardExam, sites: list[Site], registry: dict[str, list[Study]]
) -> dict[str, dict[str, Any]]:
    """The DRL chart per site (registry DRL and typical value both at 330, a published DRL of 350 drawn),
    per device (long names), the trend, the workload, and fluoroscopy with close thresholds: the charts
    whose labels could collide."""
    national = LevelFactory.create(exam=head, metric="dlp", value=350.0, issuer="A national survey")
    for code, studies in registry.items():
        here = Site.objects.get(code=code)
        device = DeviceFactory.create(site=here, display_name=f"Siemens SOMATOM Definition AS+ at {code}")
        for study in studies:
            ReportFactory.create(study=study, device=device)
    params = {"modality": "CT", "exam": head.pk, "metric": "dlp"}
    lab = site("CATHLAB")
    for dose_rp, dap in ((0.2, 0.0008), (1.5, 0.0123), (6.0, 0.09)):
        StudyFactory.create(site=lab, modality="RF", dose_rp_total_gy=dose_rp, dap_total_gym2=dap)
    for name, metric, value, unit in THRESHOLDS:
        LevelFactory.create(
            kind="threshold", modality="RF", exam=None, metric=metric, value=value, unit=unit, name=name
        )
    return {
        "drl per site": chart(everyone, "drl", {**params, "published": national.pk}),
        "drl per device": chart(everyone, "drl", {**params, "group_by": "device"}),
        "trend": chart(everyone, "trend", params),
        "workload": chart(everyone, "workload", params),
        "fluoroscopy": chart(member_browser(lab), "fluoroscopy", {"modality": "RF"}),
    }


def _page_html() -> str:
    """A page as strict as the site's about styles, with the elements the dashboard gives plotly."""
    found = re.search(r'<template id="([0-9a-f]{64})">', SCRIPTS.read_text(encoding="utf-8"))
    assert found, f"no plotly style id in {SCRIPTS}"
    return (
        '<html><head><meta http-equiv="Content-Security-Policy" content="style-src \'self\'">'
        '<link rel="stylesheet" id="plotly.js-style-global" class="no-inline-styles" href="/plotly.css">'
        f'<template id="{found[1]}"></template><script src="/plotly.js"></script></head>'
        '<body><div id="chart"></div></body></html>'
    )


def _serve(page: Page) -> None:
    """The page, plotly.js and the site's copy of plotly's style rules from one origin, as the site does."""
    files = {
        "/": (_page_html(), "text/html"),
        "/plotly.js": (PLOTLY_JS.read_text(encoding="utf-8"), "text/javascript"),
        "/plotly.css": (PLOTLY_CSS.read_text(encoding="utf-8"), "text/css"),
    }
    page.route(f"{ORIGIN}/**", lambda route: _answer(route, files))
    page.goto(f"{ORIGIN}/")


def _answer(route: Route, files: dict[str, tuple[str, str]]) -> None:
    body, kind = files[urlsplit(route.request.url).path]
    route.fulfill(body=body, content_type=kind)


@dataclass
class Chromium:
    """A page with plotly.js loaded, and the errors it logged (a refused inline style is one)."""

    page: Page
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Chromium]:
    """Playwright's sync API runs an asyncio loop on this thread, which Django takes for an async context
    and where it refuses the ORM (the test database's teardown included): as in tests/e2e, allowed."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        opened = Chromium(browser.new_page())
        opened.page.on("console", lambda message: _keep_error(opened.errors, message.type, message.text))
        _serve(opened.page)
        yield opened
        browser.close()


def _keep_error(errors: list[str], kind: str, text: str) -> None:
    if kind == "error":
        errors.append(text)


def _draw(page: Page, figure: dict[str, Any], width: int) -> dict[str, Any]:
    page.set_viewport_size({"width": width, "height": 900})
    page.evaluate(f"document.getElementById('chart').style.width = '{width - 20}px'")
    page.evaluate("f => Plotly.newPlot('chart', f.data, f.layout)", figure)
    return dict(page.locator("#chart").evaluate(BOXES))


def test_no_label_overlaps_another_or_leaves_the_figure(
    figures: dict[str, dict[str, Any]], chromium: Chromium
) -> None:
    problems = []
    for width in WIDTHS:
        for name, figure in figures.items():
            drawn = _draw(chromium.page, figure, width)
            labels = drawn["labels"]
            for index, one in enumerate(labels):
                problems += [
                    f"{name} at {width} px: {one['text']!r} overlaps {other['text']!r}"
                    for other in labels[index + 1 :]
                    if _overlap(one, other)
                ]
            problems += [
                f"{name} at {width} px: {box['text']!r} leaves the figure"
                for box in labels + drawn["texts"]
                if box["left"] < -1
                or box["top"] < -1
                or box["right"] > drawn["width"] + 1
                or box["bottom"] > drawn["height"] + 1
            ]
    assert problems == []


def test_drawing_every_chart_needs_no_inline_style(
    figures: dict[str, dict[str, Any]], chromium: Chromium
) -> None:
    for figure in figures.values():
        _draw(chromium.page, figure, 890)
    assert chromium.errors == []
