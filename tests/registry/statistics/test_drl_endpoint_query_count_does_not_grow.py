"""The DRL endpoint costs a fixed number of queries, however many sites, devices and studies it summarises."""

from __future__ import annotations

from typing import Any

import pytest

from registry.models import Site, StandardExam
from tests.registry.statistics.conftest import (
    DRL_URL,
    EventFactory,
    LevelFactory,
    ReportFactory,
    SiteFactory,
    StudyFactory,
    drl_query,
    member_client,
)

pytestmark = pytest.mark.django_db


def _registry(exam: StandardExam, sites: int, studies: int) -> list[Site]:
    made = []
    for s in range(sites):
        site = SiteFactory.create(code=f"S{s:02d}")
        made.append(site)
        for n in range(studies):
            report = ReportFactory.create(
                study=StudyFactory.create(site=site, standard_exam=exam, ct_dlp_total_mgycm=100.0 + n)
            )
            EventFactory.create(report=report, ctdivol_mgy=10.0 + n)
    for metric in ("dlp", "ctdivol"):
        LevelFactory.create(exam=exam, metric=metric, value=500.0)
        LevelFactory.create(exam=exam, metric=metric, value=300.0, statistic="P50", status="unverified")
    return made


@pytest.mark.parametrize(("sites", "studies"), [(1, 1), (6, 5)])
@pytest.mark.parametrize(
    ("params", "queries"),
    [
        # exam, groups, registry (aggregate over the groups), published levels, the count of studies
        # without an age (adult population); the caller's sites are a subquery of each (a site token adds
        # its own lookup, nothing else)
        ({"metric": "dlp"}, 5),
        ({"metric": "ctdivol"}, 5),
        # ... and one for the devices' names
        ({"metric": "dlp", "group_by": "device"}, 6),
        ({"metric": "ctdivol", "group_by": "device"}, 6),
    ],
)
def test_the_drl_endpoint_takes_a_fixed_number_of_queries(
    exam: StandardExam,
    sites: int,
    studies: int,
    params: dict[str, str],
    queries: int,
    django_assert_num_queries: Any,
) -> None:
    client = member_client(*_registry(exam, sites, studies))
    with django_assert_num_queries(queries):
        response = client.get(DRL_URL, drl_query(exam, **params))
    assert response.status_code == 200
    body = response.json()
    rows = sites * studies if "group_by" in params else sites  # each report comes from its own device
    assert (len(body["sites"]), len(body["published"])) == (rows, 2)
