"""A chart with nothing to draw says why, read from the data, instead of showing empty axes: no studies in
the date range, none mapped to the exam, or none with the value the chart plots."""

from __future__ import annotations

from typing import Any

import pytest

from registry.models import StandardExam, Study
from tests.registry.dashboards.conftest import Browser, chart

pytestmark = pytest.mark.django_db
EXAM_CHARTS = ["drl", "distribution", "trend", "weight"]


def _why(figure: dict[str, Any]) -> str:
    """The empty chart's one message; it has no traces and shows no axes."""
    layout = figure["layout"]
    assert figure["data"] == []
    assert layout["xaxis"]["visible"] is False and layout["yaxis"]["visible"] is False
    (note,) = [note for note in layout["annotations"] if note["name"] == "empty"]
    return str(note["text"]).replace("<br>", " ")


@pytest.mark.parametrize("kind", [*EXAM_CHARTS, "workload"])
def test_no_studies_in_the_date_range(everyone: Browser, head: StandardExam, kind: str) -> None:
    params = {"modality": "CT", "exam": head.pk, "date_from": "2030-01-01"}  # the studies are of 2025
    assert _why(chart(everyone, kind, params)) == "No studies in this date range"


def test_no_fluoroscopy_studies_in_the_date_range(everyone: Browser, head: StandardExam) -> None:
    params = {"modality": "RF", "date_to": "2001-12-31"}
    assert _why(chart(everyone, "fluoroscopy", params)) == "No studies in this date range"


@pytest.mark.parametrize("kind", EXAM_CHARTS)
def test_studies_in_range_but_none_mapped_to_the_exam(
    everyone: Browser, head: StandardExam, kind: str
) -> None:
    chest = StandardExam.objects.get_or_create(modality="CT", name="CT chest")[0]
    assert Study.objects.filter(standard_exam=head).exists() and not chest.studies.exists()
    why = _why(chart(everyone, kind, {"modality": "CT", "exam": chest.pk}))
    assert why == "No studies mapped to this exam (CT chest) for these filters"


@pytest.mark.parametrize(
    ("kind", "needs"),
    [("drl", "a CTDIvol per sequence"), ("trend", "a date and a CTDIvol per sequence")],
)
def test_studies_of_the_exam_but_none_with_the_value(
    everyone: Browser, head: StandardExam, kind: str, needs: str
) -> None:
    """The fixture's studies state a DLP and no CT events, so no CTDIvol."""
    why = _why(chart(everyone, kind, {"modality": "CT", "exam": head.pk, "metric": "ctdivol"}))
    assert why == f"No CT head routine studies with {needs} for these filters"


def test_no_studies_for_other_filters(everyone: Browser, head: StandardExam) -> None:
    params = {"modality": "CT", "exam": head.pk, "sex": "M"}  # every study of the fixture is of a woman
    assert _why(chart(everyone, "drl", params)) == "No studies for these filters"
