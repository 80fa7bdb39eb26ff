"""The dashboard's export links carry the page's filters, and the text before them says which."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from registry.models import Site, StandardExam
from tests.registry.dashboards.conftest import DASHBOARD_URL, member_browser

pytestmark = pytest.mark.django_db
LINKS = ("studies\\.csv", "events\\.csv", "studies\\.xlsx", "events\\.xlsx", "audit-report\\.pdf")


def _links_and_scope(html: str) -> tuple[list[dict[str, list[str]]], str]:
    scope = re.search(r'<span id="export-scope">(.*?)</span>', html, re.DOTALL)
    assert scope is not None
    queries = []
    for name in LINKS:
        link = re.search(rf'<a href="([^"]*{name}[^"]*)" aria-describedby="export-scope">', html)
        if link is not None:
            queries.append(parse_qs(urlparse(link[1].replace("&amp;", "&")).query))
    return queries, " ".join(scope[1].split())


def test_an_exam_period_and_weight_band_are_stated(sites: list[Site], head: StandardExam) -> None:
    params = {
        "modality": "CT",
        "exam": head.pk,
        "site": "ALPHA",
        "date_from": "2025-01-01",
        "date_to": "2025-12-31",
        "weight_band": "adult_standard",
    }
    queries, scope = _links_and_scope(member_browser(sites[0]).get(DASHBOARD_URL, params).content.decode())
    assert len(queries) == 5  # four files and, with one site, the PDF
    for query in queries:
        assert query["exam"] == [str(head.pk)] and query["weight_band"] == ["adult_standard"]
    assert scope == "site ALPHA, CT head routine only, CT only, 2025-01-01 to 2025-12-31, Adult 50 to 90 kg"


def test_without_an_exam_in_the_address_the_files_cover_every_exam(
    sites: list[Site], head: StandardExam
) -> None:
    queries, scope = _links_and_scope(
        member_browser(sites[0]).get(DASHBOARD_URL, {"site": "ALPHA"}).content.decode()
    )
    assert all("exam" not in query for query in queries)
    assert scope == "site ALPHA, every standard exam, all dates"
