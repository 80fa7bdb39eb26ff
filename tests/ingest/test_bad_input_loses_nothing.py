"""Whatever arrives is recorded with a reason; a rejected file changes nothing already stored."""

from __future__ import annotations

import pytest
from django.test import override_settings

from ingest.models import Channel, State, Submission
from ingest.services import UploadTooLargeError, submission_receive
from registry.models import Site, Study
from tests.conftest import corpus_file
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "data", "kind", "words"),
    [
        ("notes.txt", b"not a dose report at all", "not_dicom", "not a DICOM file"),
        ("negative/CT-SC-Philips_Brilliance16P.dcm", None, "not_a_dose_report", "Secondary Capture"),
        ("negative/ESR_non-dose.dcm", None, "not_a_dose_report", "Diagnostic Imaging Report"),
    ],
)
def test_bad_input_is_rejected_with_its_kind_and_a_message_that_names_the_problem(
    send: Send, name: str, data: bytes | None, kind: str, words: str
) -> None:
    rejected = send(name, data=data)
    assert (rejected.state, rejected.error_kind) == (State.REJECTED, kind)
    assert words in rejected.error_message
    assert not rejected.spool and not rejected.stored_file


def test_a_truncated_report_is_rejected_and_the_study_stored_before_is_unchanged(send: Send) -> None:
    send("CT-RDSR-Siemens-Multi-2.dcm")
    before = Study.objects.values().get()
    whole = corpus_file("CT-RDSR-Siemens-Multi-3.dcm").read_bytes()
    cut = send("Multi-3-cut.dcm", data=whole[: len(whole) * 2 // 3])
    assert (cut.state, cut.error_kind) == (State.REJECTED, "not_dicom")
    assert "truncated" in cut.error_message
    assert Study.objects.values().get() == before


def test_an_oversize_upload_is_refused_before_anything_is_stored(site: Site) -> None:
    with override_settings(KERMA_MAX_UPLOAD_BYTES=1000), pytest.raises(UploadTooLargeError, match="1000"):
        submission_receive(site=site, data=b"x" * 1001, channel=Channel.API, filename="big.dcm")
    assert not Submission.objects.exists()


def test_a_resent_final_submission_is_left_alone_by_a_redelivered_task(send: Send) -> None:
    from ingest.services import submission_process

    stored = send("DX-RDSR-Canon_CXDI.dcm")
    again = submission_process(str(stored.pk))
    assert (again.state, again.attempts) == (State.STORED, 1)
