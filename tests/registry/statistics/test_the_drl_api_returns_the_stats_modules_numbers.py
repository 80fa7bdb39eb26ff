"""The endpoint is a thin view: its numbers are statistics.drl's for the same selection and filters."""

from __future__ import annotations

from datetime import date

import pytest

from registry.dashboards.filters import filters_from_params
from registry.models import StandardExam, Study
from registry.statistics.drl import drl_statistics
from registry.statistics.metrics import METRICS
from tests.registry.statistics.conftest import DRL_URL, dlp_studies, drl_query, member_client

pytestmark = pytest.mark.django_db


def test_the_api_answers_what_the_stats_module_computes(exam: StandardExam, small_minimum: None) -> None:
    dlp_studies("SITE-A", exam, 110, 240, 390, 400, patient_weight_kg=70)
    dlp_studies("SITE-A", exam, 5000, patient_weight_kg=120)  # outside 50-90 kg: filtered out
    dlp_studies("SITE-B", exam, 80, 95, 130, study_date=date(2025, 6, 1))
    dlp_studies("SITE-C", exam, 300, 310)
    params = {"weight_band": "adult_standard", "date_to": "2025-12-31"}
    response = member_client(superuser=True).get(DRL_URL, drl_query(exam, **params))
    assert response.status_code == 200
    body = response.json()
    stats = drl_statistics(
        filters_from_params(params).apply(Study.objects.all()),
        exam=exam,
        metric=METRICS["dlp"],
        modality="CT",
    )
    assert [(row["site"], row["n"], row["median"], row["p25"], row["p75"]) for row in body["sites"]] == [
        (row.site, row.values.n, row.values.median, row.values.p25, row.values.p75) for row in stats.groups
    ]
    assert [row["counts_towards_drl"] for row in body["sites"]] == [True, True, False]
    assert (body["registry"]["typical"], body["registry"]["drl"]) == (
        stats.registry.typical,
        stats.registry.drl,
    )
    assert body["sites"][0]["n"] == 4 and body["sites"][0]["max"] == 400.0


def test_the_answer_names_the_exam_metric_units_and_minimum(exam: StandardExam, small_minimum: None) -> None:
    body = member_client(superuser=True).get(DRL_URL, drl_query(exam)).json()
    assert {key: body[key] for key in ("modality", "metric", "unit", "display_unit", "minimum_sample")} == {
        "modality": "CT",
        "metric": "dlp",
        "unit": "mGy.cm",
        "display_unit": "mGy·cm",
        "minimum_sample": 3,
    }
    assert body["exam"] == {"id": exam.pk, "name": "CT head routine", "modality": "CT"}
