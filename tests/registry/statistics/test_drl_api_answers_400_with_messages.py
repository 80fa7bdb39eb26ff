"""The DRL statistics endpoint refuses bad parameters with 400 and a message per parameter."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from registry.models import StandardExam
from tests.registry.statistics.conftest import DRL_URL, drl_query, member_client

pytestmark = pytest.mark.django_db


def _errors(standard_exam: StandardExam, **params: Any) -> dict[str, list[str]]:
    query = {key: value for key, value in drl_query(standard_exam, **params).items() if value is not None}
    response = member_client(superuser=True).get(DRL_URL, query)
    assert response.status_code == 400
    return response.json()


@pytest.mark.parametrize("missing", ["modality", "exam", "metric"])
def test_a_missing_required_parameter_is_400(exam: StandardExam, missing: str) -> None:
    assert "required" in _errors(exam, **{missing: None})[missing][0]


def test_a_metric_of_another_modality_is_400(exam: StandardExam) -> None:
    assert _errors(exam, metric="dap")["metric"] == [
        "dap (DAP (KAP) per examination) applies to RF, DX, not CT."
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"metric": "dose"}, "metric"),
        ({"modality": "US"}, "modality"),
        ({"group_by": "room"}, "group_by"),
        ({"exam": "head"}, "exam"),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "date_to"),
        ({"weight_min": "-"}, "weight_min"),
        ({"age_band": "elderly"}, "age_band"),
    ],
)
def test_an_invalid_parameter_is_400(exam: StandardExam, params: dict[str, str], field: str) -> None:
    assert field in _errors(exam, **params)


def test_an_unknown_exam_is_400(exam: StandardExam) -> None:
    assert _errors(exam, exam=exam.pk + 1000)["exam"] == [f"No standard exam with id {exam.pk + 1000}."]


def test_every_bad_parameter_is_reported_at_once(exam: StandardExam) -> None:
    assert {"metric", "sex"} <= set(_errors(exam, metric="x", sex="?"))


def test_an_anonymous_request_is_401(exam: StandardExam) -> None:
    response = APIClient().get(DRL_URL, drl_query(exam))
    assert response.status_code == 401
