"""Every count of patients reads `StudyQuerySet.patients()`: per-sequence values, fluoroscopy points, and the
workload counted from the studies as from the table. One QA scan beside one patient in each case."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from registry.dashboards.queries import fluoroscopy_points
from registry.models import QASource, Site, StandardExam, Study
from registry.statistics.filters import DoseFilters
from registry.statistics.workload import workload_rows
from tests.registry.statistics.conftest import EventFactory, StudyFactory

pytestmark = pytest.mark.django_db
QA = {"qa": True, "qa_source": QASource.TEXT, "qa_reason": "Study description “Daily QA” matches"}


def test_the_patients_rule_is_the_studies_that_are_not_qa_scans(north: Site) -> None:
    patient, scan = StudyFactory.create(site=north), StudyFactory.create(site=north, **QA)
    assert list(Study.objects.patients()) == [patient]
    assert list(Study.objects.qa_scans()) == [scan]


def test_per_sequence_ctdivol_counts_no_event_of_a_qa_scan(
    physicist: Client, north: Site, exam: StandardExam
) -> None:
    for fields, ctdivol in (({}, 12.0), (QA, 40.0)):
        study = StudyFactory.create(site=north, standard_exam=exam, **fields)
        EventFactory.create(report__study=study, ctdivol_mgy=ctdivol, localizer=False)
    params: dict[str, str | int] = {"modality": "CT", "exam": exam.pk, "metric": "ctdivol"}
    (group,) = physicist.get("/api/v1/stats/drl/", params).json()["sites"]
    assert (group["n"], group["median"]) == (1, 12.0)


def test_fluoroscopy_points_are_patients_only(north: Site) -> None:
    for fields in ({}, QA):
        StudyFactory.create(site=north, modality="RF", dap_total_gym2=0.002, dose_rp_total_gy=0.1, **fields)
    total, points = fluoroscopy_points(Study.objects.all(), cap=10)
    assert total == 1 and len(points) == 1 and points[0]["pk"] == Study.objects.patients().get().pk


@pytest.mark.parametrize(
    "filters",
    [DoseFilters(), DoseFilters(weight_min=60.0), DoseFilters(date_from=date(2025, 3, 2))],
    ids=["from the table", "from the studies", "a cut month from the studies"],
)
def test_the_workload_counts_patients_only(north: Site, filters: DoseFilters) -> None:
    for fields in ({}, QA):
        StudyFactory.create(site=north, study_date=date(2025, 3, 10), patient_weight_kg=70.0, **fields)
    rows = workload_rows(Site.objects.all(), filters)
    assert [(row["month"], row["n"]) for row in rows] == [(date(2025, 3, 1), 1)]
