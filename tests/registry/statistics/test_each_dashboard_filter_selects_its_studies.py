"""Each dashboard filter (registry.statistics.filters) selects the studies it names (DoseFilters.apply)."""

from __future__ import annotations

from datetime import date

import pytest

from registry.dashboards.filters import filters_from_params
from registry.models import Device, StandardExam, Study
from tests.registry.statistics.conftest import ExamFactory, ReportFactory, SiteFactory, StudyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def studies(exam: StandardExam) -> None:
    """Five studies that differ in one or two of the filtered fields each (the description names them)."""
    north, south = SiteFactory.create(code="NORTH"), SiteFactory.create(code="SOUTH")
    rows = [
        ("a", north, date(2025, 1, 10), 45.0, 30.0, "F"),
        ("b", north, date(2025, 2, 10), 50.0, 0.1, "M"),
        ("c", north, date(2025, 3, 10), 90.0, 0.25, "F"),
        ("d", south, date(2025, 4, 10), 91.0, 16.0, "M"),
        ("e", south, date(2025, 5, 10), None, 15.99, "O"),
    ]
    for name, site, day, weight, age, sex in rows:
        study = StudyFactory.create(
            description=name,
            site=site,
            study_date=day,
            patient_weight_kg=weight,
            patient_age_years=age,
            patient_sex=sex,
            standard_exam=exam if name != "e" else ExamFactory.create(),
        )
        ReportFactory.create(study=study)


def _selected(**params: str) -> list[str]:
    studies = filters_from_params(params).apply(Study.objects.all())
    return sorted(studies.values_list("description", flat=True))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_from": "2025-02-10", "date_to": "2025-03-10"}, ["b", "c"]),  # both ends inclusive
        ({"weight_band": "adult_standard"}, ["b", "c"]),  # 50 and 90 kg are in, 45 and 91 out
        ({"weight_min": "46", "weight_max": "90"}, ["b", "c"]),
        ({"weight_min": "90"}, ["c", "d"]),
        ({"age_band": "0-3m"}, ["b"]),
        ({"age_band": "3m-1y"}, ["c"]),  # 3 months = 0.25 years opens the second band
        ({"age_band": "11-16y"}, ["e"]),
        ({"age_band": "adult"}, ["a", "d"]),  # 16 and over
        ({"sex": "M"}, ["b", "d"]),
        ({"site": "SOUTH"}, ["d", "e"]),
        ({"modality": "CT"}, ["a", "b", "c", "d", "e"]),
        ({"modality": "MG"}, []),
        ({}, ["a", "b", "c", "d", "e"]),
    ],
)
def test_a_filter_selects_its_studies(studies: None, params: dict[str, str], expected: list[str]) -> None:
    assert _selected(**params) == expected


def test_the_device_filter_selects_the_studies_with_a_report_from_that_unit(studies: None) -> None:
    device = Device.objects.get(reports__study__description="d")
    assert _selected(device=str(device.pk)) == ["d"]


def test_the_exam_filter_selects_the_studies_of_that_standard_exam(studies: None, exam: StandardExam) -> None:
    assert _selected(exam=str(exam.pk)) == ["a", "b", "c", "d"]


def test_the_parsed_filters_give_back_the_same_parameters() -> None:
    params = {"date_from": "2025-01-01", "weight_band": "adult_standard", "age_band": "adult", "sex": "F"}
    assert filters_from_params(params).as_params() == params
