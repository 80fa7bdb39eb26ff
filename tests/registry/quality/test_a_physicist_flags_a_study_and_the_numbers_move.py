"""A physicist flags a study from its page: audited, left out of the statistics and workload, listed as QA.

Three head CTs at NORTH with DLP 300, 500 and 2000 mGy·cm: the median is 500 with all three, 400 once the
2000 (a phantom) is flagged, and 500 again once it is unflagged.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from registry.models import AuditEvent, MonthlyWorkload, StandardExam, Study
from registry.statistics.workload import workload_drift

pytestmark = pytest.mark.django_db


def dlp_group(client: Client, exam: StandardExam) -> tuple[int, float]:
    params: dict[str, str | int] = {"modality": "CT", "exam": exam.pk, "metric": "dlp"}
    response = client.get("/api/v1/stats/drl/", params)
    assert response.status_code == 200
    (group,) = response.json()["sites"]
    return group["n"], group["median"]


def counted() -> int:
    assert workload_drift() == {}
    call_command("rebuild_workload", "--check", stdout=StringIO())
    return sum(MonthlyWorkload.objects.values_list("studies", flat=True))


def test_flagging_leaves_the_study_out_and_unflagging_brings_it_back(
    physicist: Client, studies: list[Study], exam: StandardExam
) -> None:
    phantom = studies[2]
    assert dlp_group(physicist, exam) == (3, 500.0) and counted() == 3
    detail = physicist.get(f"/studies/{phantom.pk}/").content.decode()
    assert f'action="/quality/studies/{phantom.pk}/flag/"' in detail

    response = physicist.post(f"/quality/studies/{phantom.pk}/flag/", {"reason": "CTDI head phantom, 16 cm"})
    assert response.status_code == 302 and response["Location"] == f"/studies/{phantom.pk}/"
    assert dlp_group(physicist, exam) == (2, 400.0) and counted() == 2
    detail = physicist.get(f"/studies/{phantom.pk}/").content.decode()
    assert "QA scan" in detail and "CTDI head phantom, 16 cm" in detail and "phil" in detail
    listed = physicist.get("/quality/qa-studies/").content.decode()
    assert f"/studies/{phantom.pk}/" in listed and "CTDI head phantom, 16 cm" in listed and "phil" in listed
    assert f"/studies/{studies[0].pk}/" not in listed

    back = {"reason": "A patient after all", "next": "/quality/qa-studies/"}
    response = physicist.post(f"/quality/studies/{phantom.pk}/unflag/", back)
    assert response.status_code == 302 and response["Location"] == "/quality/qa-studies/"
    assert dlp_group(physicist, exam) == (3, 500.0) and counted() == 3
    assert f"/studies/{phantom.pk}/" not in physicist.get("/quality/qa-studies/").content.decode()


def test_each_change_is_audited_with_who_before_and_after(physicist: Client, studies: list[Study]) -> None:
    phantom = studies[2]
    physicist.post(f"/quality/studies/{phantom.pk}/flag/", {"reason": "Phantom"})
    physicist.post(f"/quality/studies/{phantom.pk}/unflag/", {"reason": "A patient"})
    flagged, unflagged = AuditEvent.objects.filter(object_id=str(phantom.pk)).order_by("at", "id")
    assert (flagged.action, flagged.actor_label, flagged.site) == ("study.qa_flagged", "phil", phantom.site)
    assert flagged.before == {"qa": False, "source": "", "reason": ""}
    assert flagged.after == {"qa": True, "source": "physicist", "reason": "Phantom"}
    assert unflagged.action == "study.qa_unflagged"
    assert unflagged.before == flagged.after
    assert unflagged.after == {"qa": False, "source": "physicist", "reason": "A patient"}


def test_a_flag_needs_a_reason_and_changes_nothing_without_one(
    physicist: Client, studies: list[Study], exam: StandardExam
) -> None:
    response = physicist.post(f"/quality/studies/{studies[2].pk}/flag/", {"reason": "  "}, follow=True)
    assert "Say why" in response.content.decode()
    assert not Study.objects.filter(qa=True).exists()
    assert not AuditEvent.objects.filter(action__startswith="study.qa_").exists()
    assert dlp_group(physicist, exam) == (3, 500.0)


def test_flagging_a_qa_scan_again_is_refused_with_a_message(physicist: Client, studies: list[Study]) -> None:
    physicist.post(f"/quality/studies/{studies[2].pk}/flag/", {"reason": "Phantom"})
    again = physicist.post(f"/quality/studies/{studies[2].pk}/flag/", {"reason": "Phantom"}, follow=True)
    assert "The study is a QA scan already." in again.content.decode()
    assert AuditEvent.objects.filter(action__startswith="study.qa_").count() == 1
