"""The protocols page works like the DRL dashboard: charts as json_script payloads drawn by charts.js (no
inline script or style, so the strict CSP holds), the first chart with the page and the others fetched as
fragments, htmx swaps in place, refused filters answer 400 in words, and the DRL page links here."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl

import pytest

from registry.models import Site
from tests.registry.dashboards.conftest import DASHBOARD_URL, member_browser, site
from tests.registry.dashboards.protocol_helpers import PAGE_URL, chart_url, events, page
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


@pytest.fixture
def north() -> Site:
    north = site("NORTH")
    events(StudyFactory.create(site=north), "Head", {"ctdivol_mgy": 40.0, "dlp_mgycm": 800.0})
    return north


def test_no_inline_script_or_style_on_the_page_or_a_fragment(north: Site) -> None:
    client = member_browser(north)
    for url in (PAGE_URL, *(chart_url(kind) for kind in ("protocols", "histogram", "timeline", "size"))):
        html = client.get(url).content.decode()
        inline = [tag for tag in SCRIPT.findall(html) if "src=" not in tag and "application/json" not in tag]
        assert inline == [], url
        assert " style=" not in html and "<style" not in html, url
        assert 'class="chart" data-chart="chart-' in html, url


def test_the_page_draws_the_first_chart_and_fetches_the_others_for_its_modality(north: Site) -> None:
    html, figures = page(member_browser(north))  # no modality asked: the person's busiest
    assert list(figures) == ["chart-protocols"]
    fetched = re.findall(r'hx-get="(/dashboards/protocols/charts/[a-z]+/\?[^"]*)"', html)
    assert [url.split("?")[0] for url in fetched] == [
        chart_url(kind) for kind in ("histogram", "timeline", "size")
    ]
    assert all("modality=CT" in url for url in fetched)


def test_an_htmx_request_gets_only_the_fragment(north: Site) -> None:
    response = member_browser(north).get(PAGE_URL, {"modality": "CT"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="protocol-table"' in html
    assert "HX-Request" in response["Vary"]


def test_a_protocol_link_narrows_the_charts_to_it(north: Site) -> None:
    html, _ = page(member_browser(north), modality="CT", site="NORTH")
    assert 'href="?site=NORTH&amp;modality=CT&amp;protocol=Head"' in html


def test_refused_filters_answer_400_with_field_labels(north: Site) -> None:
    client = member_browser(north)
    for url in (PAGE_URL, chart_url("histogram")):
        response = client.get(url, {"weight_min": "heavy"})
        assert response.status_code == 400, url
        assert "Weight at least (kg): Enter a number." in response.content.decode(), url


def test_an_unknown_chart_is_a_404(north: Site) -> None:
    assert member_browser(north).get(chart_url("pie")).status_code == 404


def test_the_drl_dashboard_links_here_with_its_filters(north: Site) -> None:
    html = member_browser(north).get(DASHBOARD_URL, {"modality": "CT", "site": "NORTH"}).content.decode()
    assert f'href="{PAGE_URL}?modality=CT&amp;site=NORTH"' in html


def test_a_chart_at_its_own_address_is_a_whole_page_saying_what_it_shows(north: Site) -> None:
    params = {"modality": "CT", "protocol": "Head", "metric": "dlp_event", "site": "NORTH"}
    html = member_browser(north).get(chart_url("histogram"), params).content.decode()
    assert "<html" in html and 'data-chart="chart-histogram"' in html
    assert "Studies shown: modality CT, protocol Head, metric DLP per sequence (mGy·cm), site NORTH." in html
    back = re.search(r'<a href="/dashboards/protocols/\?([^"#]+)#section-histogram">Back to', html)
    assert back is not None
    assert dict(parse_qsl(unescape(back[1]))) == params


def test_the_page_fetches_a_chart_as_a_fragment(north: Site) -> None:
    response = member_browser(north).get(chart_url("size"), {"modality": "CT"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'data-chart="chart-size"' in html
    assert "HX-Request" in response["Vary"]
