"""The dashboard page and each chart fragment cost a fixed number of queries, whatever the registry's size."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from registry.models import Site, StandardExam
from tests.registry.dashboards.conftest import DASHBOARD_URL, member_browser
from tests.registry.statistics.conftest import (
    EventFactory,
    LevelFactory,
    ReportFactory,
    SiteFactory,
    StudyFactory,
)

pytestmark = pytest.mark.django_db

# Session and user (2); modalities, exams, the exam (3); the first chart's statistics: the registry's groups
# (by site, or by device), the user's site codes, published levels, studies without an age (4; by device
# also the devices' names); the form's site and device lists (2). The page draws only the first chart.
PAGE_QUERIES = 11
# Session, user and the exam (3: a fragment whose query names its modality and exam lists neither, as
# it shows no form), plus the chart's own: statistics for the reference lines (4) where it draws them,
# monthly medians (1), weight fit and sample (2), workload counts and exam names (2), fluoroscopy count,
# sample, the user's sites and thresholds (3).
CHART_QUERIES = {"drl": 7, "distribution": 7, "trend": 8, "weight": 9, "workload": 5, "fluoroscopy": 6}


def _registry(exam: StandardExam, sites: int, studies: int) -> list[Site]:
    made = []
    for number in range(sites):
        site = SiteFactory.create(code=f"S{number:02d}")
        made.append(site)
        for n in range(studies):
            study = StudyFactory.create(site=site, standard_exam=exam, ct_dlp_total_mgycm=100.0 + n)
            EventFactory.create(report=ReportFactory.create(study=study), ctdivol_mgy=10.0 + n)
            StudyFactory.create(site=site, modality="RF", dap_total_gym2=1e-3 * (n + 1), dose_rp_total_gy=0.1)
    LevelFactory.create(exam=exam, metric="dlp", value=500.0)
    return made


def _count(client: Client, url: str, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("group_by", ["site", "device"])
def test_the_page_costs_the_same_for_one_site_or_six(
    head: StandardExam, group_by: str, django_assert_max_num_queries: Any
) -> None:
    params = {"modality": "CT", "exam": head.pk, "metric": "dlp", "group_by": group_by}
    client = member_browser(*_registry(head, 1, 1))
    small = _count(client, DASHBOARD_URL, params)
    client = member_browser(*Site.objects.all(), *_registry(head, 6, 5)[1:])
    assert _count(client, DASHBOARD_URL, params) == small
    with django_assert_max_num_queries(PAGE_QUERIES + (1 if group_by == "device" else 0)):
        client.get(DASHBOARD_URL, params)


@pytest.mark.parametrize("kind", sorted(CHART_QUERIES))
def test_each_chart_fragment_costs_the_same_for_one_site_or_six(
    head: StandardExam, kind: str, django_assert_max_num_queries: Any
) -> None:
    modality = "RF" if kind == "fluoroscopy" else "CT"  # the fluoroscopy chart is the RF dashboard's only
    url = f"/dashboards/drl/charts/{kind}/"
    params = {"modality": modality, "exam": head.pk, "metric": "ctdivol"}
    client = member_browser(*_registry(head, 1, 1))
    small = _count(client, url, params)
    client = member_browser(*Site.objects.all(), *_registry(head, 6, 5)[1:])
    assert _count(client, url, params) == small
    with django_assert_max_num_queries(CHART_QUERIES[kind]):
        client.get(url, params)
