"""The dashboard's audit-report link carries the page's filters, and the text beside it says which."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from registry.models import Site, StandardExam
from tests.registry.dashboards.conftest import DASHBOARD_URL, member_browser

pytestmark = pytest.mark.django_db


def _link_and_scope(html: str) -> tuple[dict[str, list[str]], str]:
    link = re.search(r'<a href="([^"]*audit-report\.pdf[^"]*)" aria-describedby="audit-report-scope">', html)
    scope = re.search(r'<span id="audit-report-scope" class="help">(.*?)</span>', html, re.DOTALL)
    assert link is not None and scope is not None
    query = parse_qs(urlparse(link[1].replace("&amp;", "&")).query)
    return query, " ".join(scope[1].split())


def test_an_exam_period_and_weight_band_are_stated(sites: list[Site], head: StandardExam) -> None:
    params = {
        "modality": "CT",
        "exam": head.pk,
        "site": "ALPHA",
        "date_from": "2025-01-01",
        "date_to": "2025-12-31",
        "weight_band": "adult_standard",
    }
    query, scope = _link_and_scope(member_browser(sites[0]).get(DASHBOARD_URL, params).content.decode())
    assert query["exam"] == [str(head.pk)] and query["weight_band"] == ["adult_standard"]
    assert scope == "of ALPHA: CT head routine only, CT only, 2025-01-01 to 2025-12-31, Adult 50 to 90 kg"


def test_without_an_exam_in_the_address_the_report_covers_every_exam(
    sites: list[Site], head: StandardExam
) -> None:
    query, scope = _link_and_scope(
        member_browser(sites[0]).get(DASHBOARD_URL, {"site": "ALPHA"}).content.decode()
    )
    assert "exam" not in query
    assert scope == "of ALPHA: every standard exam, all dates"
