"""Fixtures for the statistics tests: factories for studies with totals, reports and events, and callers.

Studies are made directly (not through the reader) so each test states exactly the values it computes by
hand; `standard_exam` is set directly, as the mapping rules would set it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import factory
import pytest
from django.contrib.auth.models import User
from factory.django import DjangoModelFactory
from rest_framework.test import APIClient

from registry.models import (
    Device,
    DoseReport,
    IrradiationEvent,
    ReferenceLevel,
    Role,
    Site,
    StandardExam,
    Study,
    UploadToken,
)
from registry.statistics.workload import workload_key, workload_move
from tests.conftest import person

DRL_URL = "/api/v1/stats/drl/"


class SiteFactory(DjangoModelFactory[Site]):
    class Meta:
        model = Site
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"SITE-{n:02d}")
    name = factory.LazyAttribute(lambda site: f"Hospital {site.code}")


class ExamFactory(DjangoModelFactory[StandardExam]):
    class Meta:
        model = StandardExam

    modality = "CT"
    name = factory.Sequence(lambda n: f"Exam {n}")


class DeviceFactory(DjangoModelFactory[Device]):
    class Meta:
        model = Device

    site = factory.SubFactory(SiteFactory)
    identity_key = factory.Sequence(lambda n: f"uid:2.25.{n}")
    manufacturer = "Acme"
    model_name = factory.Sequence(lambda n: f"Scanner {n}")


class StudyFactory(DjangoModelFactory[Study]):
    class Meta:
        model = Study

    site = factory.SubFactory(SiteFactory)
    study_instance_uid = factory.Sequence(lambda n: f"1.2.826.0.1.{n}")
    study_date = date(2025, 3, 1)
    modality = "CT"
    modalities = factory.LazyAttribute(lambda study: study.modality)
    patient_age_years = 50.0
    patient_sex = "F"
    patient_weight_kg = 70.0

    @classmethod
    def _create(cls, model_class: type[Study], *args: Any, **kwargs: Any) -> Study:
        """Count the study in the workload table, as storing a report does (registry.statistics.workload)."""
        study = super()._create(model_class, *args, **kwargs)
        workload_move(None, workload_key(study))
        return study


class ReportFactory(DjangoModelFactory[DoseReport]):
    class Meta:
        model = DoseReport

    study = factory.SubFactory(StudyFactory)
    device = factory.LazyAttribute(lambda report: DeviceFactory.create(site=report.study.site))
    sop_instance_uid = factory.Sequence(lambda n: f"1.2.826.0.2.{n}")
    sop_class_uid = "1.2.840.10008.5.1.4.1.1.88.67"
    template = "10011"
    modality = factory.LazyAttribute(lambda report: report.study.modality)

    @classmethod
    def _create(cls, model_class: type[DoseReport], *args: Any, **kwargs: Any) -> DoseReport:
        """The study's first report names its device, as storing a report does (Study.device)."""
        report = super()._create(model_class, *args, **kwargs)
        Study.objects.filter(pk=report.study_id, device__isnull=True).update(device=report.device)
        return report


class EventFactory(DjangoModelFactory[IrradiationEvent]):
    class Meta:
        model = IrradiationEvent

    report = factory.SubFactory(ReportFactory)
    study = factory.LazyAttribute(lambda event: event.report.study)
    device = factory.LazyAttribute(lambda event: event.report.device)
    uid = factory.Sequence(lambda n: f"1.2.826.0.3.{n}")
    kind = "ct"
    modality = "CT"


class LevelFactory(DjangoModelFactory[ReferenceLevel]):
    class Meta:
        model = ReferenceLevel

    issuer = "National DRL Office"
    year = 2024
    modality = "CT"
    metric = "dlp"
    unit = "mGy.cm"
    statistic = "P75"
    value = 400.0
    status = "verified"


@pytest.fixture
def exam(db: None) -> StandardExam:
    return ExamFactory.create(name="CT head routine")


def drl_query(standard_exam: StandardExam, **params: Any) -> dict[str, Any]:
    """Parameters of a DRL statistics request: CT DLP of the exam unless `params` say otherwise."""
    return {"modality": "CT", "exam": standard_exam.pk, "metric": "dlp", **params}


def dlp_studies(site: Site | str, exam: StandardExam, *dlps: float, **fields: Any) -> list[Study]:
    """One CT study of `exam` at `site` per DLP, with any other field given."""
    if isinstance(site, str):
        site = SiteFactory.create(code=site)
    return [
        StudyFactory.create(site=site, standard_exam=exam, ct_dlp_total_mgycm=dlp, **fields) for dlp in dlps
    ]


def token_client(site: Site) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {UploadToken.issue(site)[1]}")
    return client


def member_client(*sites: Site, role: Role = Role.PHYSICIST, superuser: bool = False) -> APIClient:
    """An API client signed in as a new person holding `role` at `sites` (or a superuser)."""
    user = person(f"person-{User.objects.count()}", *((site, role) for site in sites), superuser=superuser)
    client = APIClient()
    client.force_authenticate(user)
    return client
