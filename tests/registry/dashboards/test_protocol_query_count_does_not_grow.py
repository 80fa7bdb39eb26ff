"""The protocols page and each of its charts cost a fixed number of queries, whatever the number of sites,
protocols and studies: every statistic is a GROUP BY or an aggregate in the database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import Site
from tests.registry.dashboards.conftest import Browser, member_browser, site
from tests.registry.dashboards.protocol_helpers import PAGE_URL, chart_url, events
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db

# Session and user (2); the form's exams, sites and devices (3); the table: one GROUP BY per CT metric (2)
# and the population (1).
PAGE_QUERIES = 8
# Session and user (2), then the chart's own: the table (3); the histogram's range and bins (2); the
# busiest protocols, the population and a GROUP BY per metric (4); the size counts and sample (2).
CHART_QUERIES = {"protocols": 5, "histogram": 4, "timeline": 6, "size": 4}


def _registry(sites: int, protocols: int, studies: int) -> list[Site]:
    made = [site(f"S{number:02d}") for number in range(sites)]
    for each in made:
        for number in range(studies):
            study = StudyFactory.create(site=each, study_date=date(2025, 1 + number % 12, 1))
            for protocol in range(protocols):
                events(study, f"P{protocol}", {"ctdivol_mgy": 10.0 + number, "dlp_mgycm": 100.0 + protocol})
    return made


def _count(client: Browser, url: str, params: dict[str, Any]) -> int:
    """Queries of the page, or of a chart fragment fetched as the page fetches it (htmx)."""
    fragment = {} if url == PAGE_URL else {"HTTP_HX_REQUEST": "true"}
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params, **fragment).status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", [None, *CHART_QUERIES])
def test_the_cost_is_the_same_for_one_site_or_three(kind: str | None) -> None:
    url = PAGE_URL if kind is None else chart_url(kind)
    params = {"modality": "CT", "metric": "ctdivol"}
    small = _count(member_browser(*_registry(1, 1, 1)), url, params)
    large = _count(member_browser(*_registry(3, 4, 5)), url, params)
    assert small == large == (PAGE_QUERIES if kind is None else CHART_QUERIES[kind])
