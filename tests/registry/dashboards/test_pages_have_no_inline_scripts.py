"""No inline script on any dashboard page: every <script> has a src, or is a json_script data payload."""

from __future__ import annotations

import re

import pytest

from registry.models import Study
from tests.registry.dashboards.conftest import DASHBOARD_URL, Browser

pytestmark = pytest.mark.django_db
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def _inline(html: str) -> list[str]:
    return [
        attributes
        for attributes in SCRIPT.findall(html)
        if "src=" not in attributes and 'type="application/json"' not in attributes
    ]


def test_no_page_has_an_inline_script(everyone: Browser, registry: dict[str, list[Study]]) -> None:
    study = registry["ALPHA"][0]
    for url in (DASHBOARD_URL, "/dashboards/drl/charts/drl/", "/studies/", f"/studies/{study.pk}/", "/"):
        html = everyone.get(url).content.decode()
        assert _inline(html) == [], url
        assert " style=" not in html and "<style" not in html, url
        assert "javascript:" not in html and " onclick=" not in html, url


def test_the_dashboard_loads_plotly_htmx_and_charts_js_from_our_static_files(everyone: Browser) -> None:
    html = everyone.get(DASHBOARD_URL).content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources == [
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/plotly/plotly-cartesian.min.js",
        "/static/js/charts.js",
    ]
    assert 'type="application/json"' in html


def test_the_studies_pages_load_no_script(everyone: Browser) -> None:
    assert "<script" not in everyone.get("/studies/").content.decode()
