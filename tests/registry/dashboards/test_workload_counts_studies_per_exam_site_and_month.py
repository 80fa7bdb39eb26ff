"""The workload chart: studies per month and site as a heatmap, each cell's exams (unmapped ones too) in its
hover."""

from __future__ import annotations

from datetime import date

import pytest

from registry.models import StandardExam
from tests.registry.dashboards.conftest import chart, member_browser, site
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db


def test_cells_count_every_exam_and_the_hover_names_them(head: StandardExam) -> None:
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
    (cells,) = figure["data"]
    assert cells["type"] == "heatmap"
    assert (cells["x"], cells["y"]) == (["Jan 2025", "Feb 2025"], ["ONE", "TWO"])
    assert cells["z"] == [[3, 0], [0, 2]]  # ONE: 2 head + 1 chest in January; TWO: 1 head + 1 unmapped
    assert cells["customdata"] == [
        ["CT head routine: 2<br>CT chest: 1", "no studies"],
        ["no studies", "CT head routine: 1<br>Unmapped: 1"],
    ]
