"""The workload chart: studies per month and site, stacked by standard exam, unmapped ones included."""

from __future__ import annotations

from datetime import date

import pytest

from registry.models import StandardExam
from tests.registry.dashboards.conftest import chart, member_browser, site
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db


def test_stacked_counts(head: StandardExam) -> None:
    chest = StandardExam.objects.get_or_create(modality="CT", name="CT chest")[0]
    one, two = site("ONE"), site("TWO")
    for where, exam, day in (
        (one, head, date(2025, 1, 5)),
        (one, head, date(2025, 1, 9)),
        (one, chest, date(2025, 1, 9)),
        (two, head, date(2025, 2, 1)),
        (two, None, date(2025, 2, 2)),
    ):
        StudyFactory.create(site=where, standard_exam=exam, study_date=day, ct_dlp_total_mgycm=100.0)
    figure = chart(member_browser(one, two), "workload", {"modality": "CT", "exam": head.pk})
    bars = {trace["name"]: trace for trace in figure["data"]}
    assert bars["CT head routine"]["x"] == [["2025-01", "2025-02"], ["ONE", "TWO"]]
    assert bars["CT head routine"]["y"] == [2, 1]
    assert bars["CT chest"]["y"] == [1, 0]
    assert bars["Unmapped"]["y"] == [0, 1]
    assert figure["layout"]["barmode"] == "stack"
