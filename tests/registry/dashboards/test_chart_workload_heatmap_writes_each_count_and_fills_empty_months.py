"""The workload chart is a heatmap of month by site: a cell per site and month, its count written in it,
every month from the first to the last a column (none left out for having no studies)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from registry.models import StandardExam
from tests.registry.dashboards.conftest import chart, member_browser, site
from tests.registry.statistics.conftest import StudyFactory

pytestmark = pytest.mark.django_db


def _cells(figure: dict[str, Any]) -> dict[str, Any]:
    (cells,) = figure["data"]
    assert cells["type"] == "heatmap"
    return dict(cells)


def test_counts_per_site_and_month_are_hand_counted(head: StandardExam) -> None:
    chest = StandardExam.objects.get_or_create(modality="CT", name="CT chest")[0]
    alpha, bravo = site("ALPHA"), site("BRAVO")
    for where, exam, day in (
        (alpha, head, date(2025, 1, 3)),
        (alpha, head, date(2025, 1, 20)),
        (alpha, chest, date(2025, 3, 5)),
        (bravo, head, date(2025, 2, 10)),
        (bravo, chest, date(2025, 2, 11)),
        (bravo, None, date(2025, 2, 28)),  # unmapped: counted all the same
    ):
        StudyFactory.create(site=where, standard_exam=exam, study_date=day)
    StudyFactory.create(site=alpha, standard_exam=head, study_date=date(2025, 2, 1), qa=True)  # no patient
    StudyFactory.create(site=bravo, standard_exam=head, study_date=None)  # in no month
    cells = _cells(chart(member_browser(alpha, bravo), "workload", {"modality": "CT"}))
    assert cells["x"] == ["Jan 2025", "Feb 2025", "Mar 2025"]
    assert cells["y"] == ["ALPHA", "BRAVO"]
    assert cells["z"] == [[2, 0, 1], [0, 3, 0]]  # ALPHA had no patient studied in February: a 0, not a gap
    assert cells["texttemplate"] == "%{z}"  # the count written in each cell
    assert "%{z} studies" in cells["hovertemplate"]


def test_site_codes_label_the_rows_and_each_row_has_room(head: StandardExam) -> None:
    sites = [site(f"HOSPITAL-{number:02d}") for number in range(15)]
    for where in sites:
        StudyFactory.create(site=where, standard_exam=head, study_date=date(2025, 1, 1))
    figure = chart(member_browser(*sites), "workload", {"modality": "CT"})
    layout = figure["layout"]
    assert _cells(figure)["y"] == [where.code for where in sites]
    assert layout["yaxis"]["type"] == "category" and layout["yaxis"]["automargin"] is True
    rows_px = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    assert rows_px / len(sites) >= 24  # a row of 12 px codes at any width: the figure grows with the sites


def test_a_cells_hover_names_its_busiest_exams_and_sums_the_rest(head: StandardExam) -> None:
    here = site("HERE")
    exams = [StandardExam.objects.create(modality="CT", name=f"Exam {letter}") for letter in "ABCDEFGHIJ"]
    for index, exam in enumerate(exams):  # Exam A to J: 1 study each, C and F 3 each
        for _ in range(3 if exam.name in ("Exam C", "Exam F") else 1):
            StudyFactory.create(site=here, standard_exam=exam, study_date=date(2025, 6, 1 + index))
    cells = _cells(chart(member_browser(here), "workload", {"modality": "CT"}))
    assert cells["z"] == [[14]]
    # The first 8 by count, then name; I and J summed.
    named = ["Exam C: 3", "Exam F: 3", *(f"Exam {letter}: 1" for letter in "ABDEGH")]
    assert cells["customdata"] == [["<br>".join([*named, "other exams: 2"])]]
