"""Re-mapping is one UPDATE in the database: its query count does not grow with studies or events.

The workload recount that follows it is a fixed number of queries too (one INSERT per 1,000 counted keys).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.mapping.rules import mapping_apply
from registry.models import MappingRule, MatchField, MatchKind, Site
from tests.registry.mapping.conftest import MakeStudy, exam, exam_of

pytestmark = pytest.mark.django_db


def _rules(north: Site) -> None:
    MappingRule.objects.create(exam=exam("CT", "Head"), kind=MatchKind.CONTAINS, pattern="head")
    MappingRule.objects.create(
        exam=exam("CT", "Chest"), kind=MatchKind.REGEX, pattern="^(ct )?chest", site=north
    )
    MappingRule.objects.create(exam=exam("CT", "KUB"), field=MatchField.ACQUISITION_PROTOCOL, pattern="KUB")


@pytest.mark.parametrize("count", [1, 40])
def test_two_queries_whatever_the_number_of_studies(
    north: Site, make_study: MakeStudy, django_assert_max_num_queries: Any, count: int
) -> None:
    _rules(north)
    studies = [make_study(north, ("CT HEAD", "CT CHEST", "CT KUB")[n % 3]) for n in range(count)]
    # The rules and the UPDATE; the workload recount (registry.statistics.workload): lock the sites, delete,
    # count, insert; and the savepoints of the two atomic blocks inside the test's transaction.
    with django_assert_max_num_queries(9):
        assert mapping_apply() == count
    assert exam_of(studies[0]) == "Head"


def test_the_update_is_a_single_case_statement(north: Site, make_study: MakeStudy) -> None:
    _rules(north)
    make_study(north, "CT HEAD")
    with CaptureQueriesContext(connection) as captured:
        mapping_apply()
    updates = [query["sql"] for query in captured.captured_queries if query["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert "CASE WHEN" in updates[0] and "EXISTS" in updates[0]
