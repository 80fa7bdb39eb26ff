"""A per-sequence CTDIvol DRL is compared with `ctdivol`, a per-examination one with `ctdivol_exam`.

The API answers each metric with the levels of that scope only, so a physicist never compares a sequence's
CTDIvol with an examination's level or the reverse.
"""

from __future__ import annotations

import pytest

from registry.models import Site, StandardExam
from tests.registry.statistics.conftest import DRL_URL, LevelFactory, drl_query, member_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("metric", "expected"), [("ctdivol", [12.0]), ("ctdivol_exam", [9.0])])
def test_each_ctdivol_metric_lists_the_levels_of_its_scope(
    north: Site, exam: StandardExam, metric: str, expected: list[float]
) -> None:
    LevelFactory.create(exam=exam, metric="ctdivol", unit="mGy", value=12.0, issuer="Per sequence")
    LevelFactory.create(exam=exam, metric="ctdivol_exam", unit="mGy", value=9.0, issuer="Per exam")
    LevelFactory.create(exam=exam, metric="dlp", unit="mGy.cm", value=400.0)
    response = member_client(north).get(DRL_URL, drl_query(exam, metric=metric))
    assert response.status_code == 200
    assert [level["value_display"] for level in response.json()["published"]] == expected
