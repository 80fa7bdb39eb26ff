"""A chart's own address opened directly is a whole page: the layout, the chart's title, its filters in words,
a link back to the dashboard with the same filters and the chart drawn; htmx still gets the fragment."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from registry.models import StandardExam
from tests.registry.dashboards.conftest import Browser, payloads

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
TITLES = {
    "drl": "Site medians and the DRL",
    "distribution": "Distribution",
    "trend": "Monthly trend",
    "weight": "Dose and patient weight",
    "workload": "Workload",
}


def _back_link(html: str) -> tuple[str, dict[str, list[str]], str]:
    """The "back to the dashboard" link: its path, its query and its fragment."""
    found = re.search(r'<a href="([^"]+)">Back to the dashboard with these filters</a>', html)
    assert found is not None, html
    parts = urlsplit(found[1].replace("&amp;", "&"))
    return parts.path, parse_qs(parts.query), parts.fragment


@pytest.mark.parametrize("kind", sorted(TITLES))
def test_a_chart_opened_directly_is_a_page_with_its_title_layout_and_chart(
    everyone: Browser, head: StandardExam, kind: str
) -> None:
    response = everyone.get(f"/dashboards/drl/charts/{kind}/", {"modality": "CT", "exam": head.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{TITLES[kind]} · Kerma</title>" in html
    assert f"<h1>{TITLES[kind]}</h1>" in html
    assert '<header class="site-header">' in html
    assert set(payloads(response)) == {f"chart-{kind}"}
    assert f'<div class="chart" data-chart="chart-{kind}"' in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts == [
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/plotly/plotly-cartesian.min.js",
        "/static/js/charts.js",
    ]


def test_the_page_says_its_filters_in_words(everyone: Browser, head: StandardExam) -> None:
    params = {"modality": "CT", "exam": head.pk, "site": "ALPHA", "date_from": "2025-01-01", "sex": "F"}
    html = everyone.get("/dashboards/drl/charts/trend/", params).content.decode()
    scope = re.search(r'<p class="chart-scope">(.*?)</p>', html, re.DOTALL)
    assert scope is not None
    assert scope[1] == (
        "Studies shown: modality CT, exam CT head routine, metric DLP per examination (mGy·cm), per site, "
        "site ALPHA, from 2025-01-01, sex female."
    )


def test_the_page_links_back_to_the_dashboard_with_the_same_filters(
    everyone: Browser, head: StandardExam
) -> None:
    params = {"modality": "CT", "exam": str(head.pk), "site": "ALPHA", "weight_min": "50", "metric": "dlp"}
    html = everyone.get("/dashboards/drl/charts/weight/", params).content.decode()
    path, query, fragment = _back_link(html)
    assert path == "/dashboards/drl/"
    assert fragment == "section-weight"
    assert query == {**{name: [value] for name, value in params.items()}, "group_by": ["site"]}


def test_a_bare_address_names_the_exam_it_chose(everyone: Browser, head: StandardExam) -> None:
    """No query: the page draws the busiest modality and exam, and says which, in words and in the link."""
    html = everyone.get("/dashboards/drl/charts/drl/").content.decode()
    assert "exam CT head routine" in html
    assert _back_link(html)[1]["exam"] == [str(head.pk)]


def test_htmx_gets_the_fragment_and_both_vary_on_the_header(everyone: Browser, head: StandardExam) -> None:
    url, params = "/dashboards/drl/charts/trend/", {"modality": "CT", "exam": head.pk}
    fragment = everyone.get(url, params, headers=HTMX)
    assert fragment.status_code == 200
    assert set(payloads(fragment)) == {"chart-trend"}
    assert "<html" not in fragment.content.decode() and "<h1" not in fragment.content.decode()
    page = everyone.get(url, params)
    for response in (fragment, page):
        assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_an_unknown_chart_is_a_404(everyone: Browser, headers: dict[str, str]) -> None:
    assert everyone.get("/dashboards/drl/charts/pie/", headers=headers).status_code == 404


def test_invalid_filters_are_a_400_page_with_labelled_messages(everyone: Browser, head: StandardExam) -> None:
    params = {"modality": "CT", "exam": head.pk, "weight_min": "90", "weight_max": "50"}
    response = everyone.get("/dashboards/drl/charts/drl/", params)
    html = response.content.decode()
    assert response.status_code == 400
    assert '<header class="site-header">' in html
    assert "Weight at most (kg): The highest weight is below the lowest." in html
    assert payloads(response) == {}
