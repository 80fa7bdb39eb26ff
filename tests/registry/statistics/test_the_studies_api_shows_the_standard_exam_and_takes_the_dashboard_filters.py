"""The studies API names each study's standard exam and accepts the dashboard filters (one family)."""

from __future__ import annotations

from typing import Any

import pytest

from registry.models import StandardExam
from tests.registry.statistics.conftest import SiteFactory, StudyFactory, member_client

pytestmark = pytest.mark.django_db

STUDIES = "/api/v1/studies/"


@pytest.fixture
def studies(exam: StandardExam) -> None:
    site = SiteFactory.create(code="NORTH")
    StudyFactory.create(
        site=site, description="mapped", standard_exam=exam, patient_weight_kg=70, patient_sex="M"
    )
    StudyFactory.create(
        site=site, description="child", patient_weight_kg=20, patient_age_years=4, patient_sex="F"
    )


def _descriptions(**params: Any) -> list[str]:
    response = member_client(superuser=True).get(STUDIES, params)
    assert response.status_code == 200
    return sorted(study["description"] for study in response.json()["results"])


def test_each_study_names_its_standard_exam_or_null(studies: None, exam: StandardExam) -> None:
    results = member_client(superuser=True).get(STUDIES).json()["results"]
    by_description = {study["description"]: study["standard_exam"] for study in results}
    assert by_description == {"mapped": {"id": exam.pk, "name": "CT head routine"}, "child": None}


def test_the_study_detail_names_its_standard_exam(studies: None, exam: StandardExam) -> None:
    study = exam.studies.get()
    body = member_client(superuser=True).get(f"{STUDIES}{study.pk}/").json()
    assert body["standard_exam"] == {"id": exam.pk, "name": "CT head routine"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"weight_band": "adult_standard"}, ["mapped"]),
        ({"weight_max": "30"}, ["child"]),
        ({"age_band": "1-6y"}, ["child"]),
        ({"sex": "M"}, ["mapped"]),
        ({"description": "chi"}, ["child"]),
    ],
)
def test_the_studies_list_takes_the_dashboard_filters(
    studies: None, params: dict[str, str], expected: list[str]
) -> None:
    assert _descriptions(**params) == expected


def test_the_exam_filter_of_the_studies_list(studies: None, exam: StandardExam) -> None:
    assert _descriptions(exam=exam.pk) == ["mapped"]


def test_a_bad_dashboard_filter_on_the_studies_list_is_400(studies: None) -> None:
    response = member_client(superuser=True).get(STUDIES, {"weight_min": "80", "weight_max": "60"})
    assert response.status_code == 400
    assert response.json() == {"weight_max": ["The highest weight is below the lowest."]}
