"""Several reports of one study combine by Irradiation Event UID (corpus README, rdsr-notes §9)."""

from __future__ import annotations

import pydicom
import pytest

from ingest.models import State
from registry.models import IrradiationEvent, Site, Study
from tests.conftest import corpus_file
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db

MULTI = ["CT-RDSR-Siemens-Multi-1.dcm", "CT-RDSR-Siemens-Multi-2.dcm", "CT-RDSR-Siemens-Multi-3.dcm"]


def test_cumulative_reports_give_one_study_with_three_events_and_the_last_total(send: Send) -> None:
    send(*MULTI)
    study = Study.objects.get()
    assert study.events.count() == 3
    # CT Dose Length Product Total (113813) of Multi-3, which repeats events 1 and 2 and adds event 3
    assert study.ct_dlp_total_mgycm == pytest.approx(236.09)
    multi_3 = pydicom.dcmread(corpus_file(MULTI[2]), stop_before_pixels=True).SOPInstanceUID
    assert list(study.reports.filter(contributes=True).values_list("sop_instance_uid", flat=True)) == [
        multi_3
    ]


def test_an_older_cumulative_report_after_the_newest_is_kept_for_audit_only(send: Send) -> None:
    send(MULTI[2])
    late = send(MULTI[0])
    study = Study.objects.get()
    assert late.state == State.STORED and late.outcome == "audit_only"
    assert study.ct_dlp_total_mgycm == pytest.approx(236.09)
    assert study.reports.count() == 2 and study.events.count() == 3


def test_the_same_report_again_is_a_duplicate_and_changes_nothing(send: Send) -> None:
    send(*MULTI)
    before = list(IrradiationEvent.objects.values_list("uid", "report_id", "dlp_mgycm"))
    again = send(MULTI[0])
    assert again.state == State.DUPLICATE
    assert list(IrradiationEvent.objects.values_list("uid", "report_id", "dlp_mgycm")) == before
    assert Study.objects.get().ct_dlp_total_mgycm == pytest.approx(236.09)


def test_a_continued_exam_adds_its_disjoint_events(send: Send) -> None:
    send("CT-RDSR-Siemens-Continued-1.dcm", "CT-RDSR-Siemens-Continued-2.dcm")
    study = Study.objects.get()
    assert study.events.count() == 4
    assert study.ct_dlp_total_mgycm == pytest.approx(60.17 + 56.44)


def test_pet_ct_reports_attach_to_one_study_with_both_modalities(send: Send) -> None:
    send("NM-RRDSR-Siemens.dcm", "NM-CT-RDSR-Siemens.dcm")
    study = Study.objects.get()
    assert study.modalities == "CT,NM"
    assert study.reports.count() == 2
    # 113507 Administered activity 394 MBq; the CT report's 2 acquisitions
    assert study.administered_activity_mbq == pytest.approx(394)
    assert study.events.count() == 2 and study.administrations.count() == 1


def test_the_same_report_sent_by_two_sites_is_stored_for_each_and_never_mixed(send: Send) -> None:
    other = Site.objects.create(code="SOUTH-02", name="South Clinic")
    first, second = send(MULTI[0]), send(MULTI[0], to=other)
    assert first.state == second.state == State.STORED
    assert first.study_id != second.study_id
    assert {study.site.code for study in Study.objects.all()} == {"NORTH-01", "SOUTH-02"}
