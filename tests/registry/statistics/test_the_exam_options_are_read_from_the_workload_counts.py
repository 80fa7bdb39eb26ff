"""workload_exams: a modality's mapped exams at the caller's sites, busiest first, counted from the workload
table as a GROUP BY over the patients' dated studies would count them (QA scans, undated and unmapped
studies, other modalities and other sites left out)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from registry.models import Site
from registry.statistics.workload import workload_exams
from tests.registry.statistics.conftest import ExamFactory, SiteFactory, StudyFactory

pytestmark = pytest.mark.django_db


def test_exams_are_counted_busiest_first_over_the_sites_patients_dated_studies(
    django_assert_num_queries: Any,
) -> None:
    alpha, bravo, other = (SiteFactory.create(code=code) for code in ("ALPHA", "BRAVO", "OTHER"))
    head, chest = ExamFactory.create(name="CT head"), ExamFactory.create(name="CT chest")
    for site, exam, months in [(alpha, head, (1, 2)), (bravo, chest, (1, 2, 3)), (other, head, (1, 2, 3))]:
        for month in months:
            StudyFactory.create(site=site, standard_exam=exam, study_date=date(2025, month, 10))
    StudyFactory.create(site=alpha, standard_exam=head, qa=True)  # a phantom: no patient
    StudyFactory.create(site=alpha, standard_exam=head, study_date=None)  # in no month
    StudyFactory.create(site=alpha, standard_exam=None)  # unmapped
    StudyFactory.create(site=alpha, standard_exam=head, modality="DX")
    StudyFactory.create(site=bravo, standard_exam=chest, modality="NM", modalities="CT,NM")  # PET/CT
    sites = Site.objects.filter(code__in=["ALPHA", "BRAVO"])
    with django_assert_num_queries(2):  # the counts from the table, then the exams' names
        exams = workload_exams(sites, "CT")
    assert exams == [
        {"standard_exam": chest.pk, "standard_exam__name": "CT chest", "n": 4},
        {"standard_exam": head.pk, "standard_exam__name": "CT head", "n": 2},
    ]


def test_a_modality_without_mapped_studies_offers_no_exam(django_assert_num_queries: Any) -> None:
    StudyFactory.create(site=SiteFactory.create(code="ALPHA"), standard_exam=None)
    with django_assert_num_queries(1):  # the counts; no exam to name
        assert workload_exams(Site.objects.all(), "CT") == []
