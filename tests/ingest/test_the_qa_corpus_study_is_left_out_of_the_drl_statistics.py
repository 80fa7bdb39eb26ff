"""The corpus QA study, stored beside two patient studies of the same exam, is not counted anywhere.

Totals from the corpus README (checked against the files): Siemens Multi-1/2/3 are one study with
236.09 mGy·cm, Continued-1/2 one with 116.61 mGy·cm; the Definition Flash QA study states 1590 mGy·cm.
"""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from registry.mapping.rules import mapping_rule_create
from registry.models import MatchKind, MonthlyWorkload, Role, Site, StandardExam, Study
from tests.conftest import person
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db

PATIENTS = [
    "CT-RDSR-Siemens-Multi-1.dcm",
    "CT-RDSR-Siemens-Multi-2.dcm",
    "CT-RDSR-Siemens-Multi-3.dcm",
    "CT-RDSR-Siemens-Continued-1.dcm",
    "CT-RDSR-Siemens-Continued-2.dcm",
]
QA_STUDY = "CT-RDSR-Siemens_Flash-QA-DS.dcm"
REASON = "Study description “Specials^PhysicsTesting (Adult)” matches the QA pattern “physics testing”"


@pytest.fixture
def exam(send: Send) -> StandardExam:
    """Three CT studies of one exam: every description ends in "(Adult)", the QA study's too."""
    send(*PATIENTS, QA_STUDY)
    exam = StandardExam.objects.get_or_create(modality="CT", name="Chest")[0]
    mapping_rule_create(actor="test", exam=exam, pattern="(Adult)", kind=MatchKind.CONTAINS)
    assert Study.objects.filter(standard_exam=exam).count() == 3
    return exam


@pytest.fixture
def physicist(site: Site) -> Client:
    client = Client()
    client.force_login(person("phil", (site, Role.PHYSICIST)))
    return client


def test_the_drl_statistics_count_only_the_patients(exam: StandardExam, physicist: Client) -> None:
    params: dict[str, str | int] = {"modality": "CT", "exam": exam.pk, "metric": "dlp"}
    response = physicist.get("/api/v1/stats/drl/", params)
    assert response.status_code == 200
    (group,) = response.json()["sites"]
    assert group["n"] == 2
    assert group["median"] == pytest.approx((236.09 + 116.61) / 2)
    assert group["max"] == pytest.approx(236.09)  # not the QA study's 1590


def test_the_workload_counts_only_the_patients(exam: StandardExam) -> None:
    rows = {(row.month, row.studies) for row in MonthlyWorkload.objects.filter(exam_key=exam.pk)}
    assert rows == {(date(2018, 1, 1), 1), (date(2018, 4, 1), 1)}  # no June 2013: the QA study's month
    out = StringIO()
    call_command("rebuild_workload", "--check", stdout=out)
    assert out.getvalue() == "workload counts equal the studies\n"


def test_the_qa_page_and_the_study_page_say_why(exam: StandardExam, physicist: Client) -> None:
    page = physicist.get("/quality/qa-studies/").content.decode()
    assert "Specials^PhysicsTesting (Adult)" in page and REASON in page
    assert "Thorax" not in page
    study = Study.objects.get(qa=True)
    detail = physicist.get(f"/studies/{study.pk}/").content.decode()
    assert "QA scan" in detail and REASON in detail
