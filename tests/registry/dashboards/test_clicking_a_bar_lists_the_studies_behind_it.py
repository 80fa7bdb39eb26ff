"""A bar's link (the last item of its customdata, which charts.js follows) lists exactly its studies."""

from __future__ import annotations

import re

import pytest

from registry.models import StandardExam
from tests.registry.dashboards.conftest import DASHBOARD_URL, SITE_DLPS, Browser, payloads

pytestmark = pytest.mark.django_db


def test_each_bar_links_to_its_sites_studies_with_the_filters(everyone: Browser, head: StandardExam) -> None:
    params = {"modality": "CT", "exam": head.pk, "metric": "dlp", "sex": "F"}
    figure = payloads(everyone.get(DASHBOARD_URL, params))["chart-drl"]
    links = {
        site: row[-1]
        for trace in figure["data"]
        for site, row in zip(trace["x"], trace["customdata"], strict=True)
    }
    assert links["DELTA"].startswith("/studies/?")
    assert (
        "sex=F" in links["DELTA"] and f"exam={head.pk}" in links["DELTA"] and "site=DELTA" in links["DELTA"]
    )
    html = everyone.get(links["DELTA"]).content.decode()
    rows = re.findall(r'<td><a href="/studies/(\d+)/">', html)
    expected = {str(study.pk) for study in head.studies.filter(site__code="DELTA")}
    assert set(rows) == expected and len(expected) == len(SITE_DLPS["DELTA"])
