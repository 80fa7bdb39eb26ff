"""Doses on the studies list, the dashboard, the reference-level and mapping pages read as a physicist signs
them: the metric registry's label and display unit, three significant digits (a published level as
published), never a canonical Gy·m² with fifteen digits and never a metric key such as "dap" as text.

Hand values: DAP 1.23456e-4 Gy·m² is 1.23 Gy·cm²; air kerma 0.0123456 Gy is 12.3 mGy; 754 s of fluoroscopy
is 12.6 min; the median of three DAPs 1.23456, 2.34567 and 3.45678 Gy·cm² is 2.35 Gy·cm².
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from registry.models import Role, Site, StandardExam
from registry.reference_levels.library import reference_level_create
from registry.statistics.metrics import METRICS
from tests.conftest import person
from tests.registry.dashboards.conftest import DASHBOARD_URL, member_browser
from tests.registry.statistics.conftest import LevelFactory, SiteFactory, StudyFactory

pytestmark = pytest.mark.django_db

# Keys that are no word of any label ("activity" is one of "Administered activity", so it is left out).
LABELS = " ".join(metric.label for metric in METRICS.values())
KEYS = [key for key in METRICS if not re.search(rf"\b{key}\b", LABELS)]


class _Text(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts (the chart JSON) or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).replace("\xa0", " ")


def shown_keys(html: str) -> list[str]:
    text = visible(html)
    return [key for key in KEYS if re.search(rf"\b{key}\b", text)]


@pytest.fixture
def fluoro(db: None, settings: Any) -> tuple[Site, StandardExam]:
    """Three RF studies at WEST with DAP, air kerma and time, a published DAP P75 of 14.19 Gy·cm²."""
    settings.KERMA_DRL_MIN_SAMPLE = {**settings.KERMA_DRL_MIN_SAMPLE, "RF": 3}
    settings.KERMA_REGISTRY_MIN_SITES = 1  # the arithmetic of one site, not the peer rule
    site, exam = (
        SiteFactory.create(code="WEST"),
        StandardExam.objects.get_or_create(modality="RF", name="Barium swallow")[0],
    )
    for dap in (1.23456e-4, 2.34567e-4, 3.45678e-4):
        StudyFactory.create(
            site=site,
            standard_exam=exam,
            modality="RF",
            dap_total_gym2=dap,
            dose_rp_total_gy=0.0123456,
            fluoro_time_total_s=754.0,
        )
    LevelFactory.create(exam=exam, modality="RF", metric="dap", unit="Gy.m2", value=0.001419, issuer="ACR")
    return site, exam


def test_the_studies_list_shows_labels_display_units_and_three_digits(
    fluoro: tuple[Site, StandardExam],
) -> None:
    site, exam = fluoro
    html = (
        member_browser(site).get("/studies/", {"site": "WEST", "exam": exam.pk, "sex": "F"}).content.decode()
    )
    text = visible(html)
    assert "DAP (KAP) per examination 1.23 Gy·cm²" in text
    assert "Air kerma at the reference point 12.3 mGy" in text
    assert "Fluoroscopy time 12.6 min" in text
    assert "1.2345" not in text and "0.000123" not in text and "12.566" not in text
    assert "exam Barium swallow" in text and f"exam {exam.pk}" not in text and "sex female" in text
    assert shown_keys(html) == []


def test_a_dap_drilldown_shows_the_values_in_gy_cm2(fluoro: tuple[Site, StandardExam]) -> None:
    site, exam = fluoro
    params = {"site": "WEST", "exam": exam.pk, "metric": "dap", "modality": "RF"}
    html = member_browser(site).get("/studies/", params).content.decode()
    values = re.findall(r'<td class="value metric-values">(.*?)</td>', html)
    assert sorted(values) == ["1.23", "2.35", "3.46"]
    assert "DAP (KAP) per examination (Gy·cm²)" in html
    assert shown_keys(html) == []


def test_the_dashboard_shows_the_registry_drl_and_a_published_level_in_display_units(
    fluoro: tuple[Site, StandardExam],
) -> None:
    site, exam = fluoro
    html = member_browser(site).get(DASHBOARD_URL, {"modality": "RF", "exam": exam.pk, "metric": "dap"})
    text = visible(html.content.decode())
    assert "registry DRL 2.35 Gy·cm²" in text  # one site: the DRL is its median, 2.34567 Gy·cm²
    assert "ACR 2024, adult, per exam: 14.19 Gy·cm²" in text  # as its source states it, with whom and scope
    assert "0.001419" not in text and "2.346" not in text
    assert re.search(r"Per Site Device", text)  # the grouping's name, not its key
    assert shown_keys(html.content.decode()) == []


def test_reference_level_and_mapping_pages_name_metrics_by_label(client: Client, north: Site) -> None:
    physicist = person("phil", (north, Role.PHYSICIST))
    exam = StandardExam.objects.get_or_create(modality="RF", name="Barium swallow")[0]
    level = reference_level_create(actor=physicist, site=north, exam=exam, metric="dap", value=1.23456e-4)
    client.force_login(physicist)
    for url in (
        "/reference-levels/",
        f"/reference-levels/{level.pk}/history/",
        f"/reference-levels/{level.pk}/revise/",
        "/reference-levels/local/new/",
        "/mapping/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert shown_keys(html) == [], url
        assert "0.000123" not in visible(html), url
    assert "DAP (KAP) per examination" in visible(client.get("/reference-levels/").content.decode())
