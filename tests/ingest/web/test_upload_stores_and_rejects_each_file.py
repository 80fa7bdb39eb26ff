"""Each uploaded file becomes its own submission: dose reports are stored, anything else rejected."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ingest.models import Channel, State, Submission
from tests.ingest.web.conftest import Post, corpus_upload

pytestmark = pytest.mark.django_db


def test_two_dose_reports_and_a_text_file_give_two_stored_and_one_rejected(post_upload: Post) -> None:
    response = post_upload(
        corpus_upload("CT-RDSR-Siemens-Multi-3.dcm"),
        corpus_upload("DX-RDSR-Canon_CXDI.dcm"),
        SimpleUploadedFile("notes.txt", b"not a dose report"),
    )
    states = dict(Submission.objects.values_list("filename", "state"))
    assert states == {
        "CT-RDSR-Siemens-Multi-3.dcm": State.STORED,
        "DX-RDSR-Canon_CXDI.dcm": State.STORED,
        "notes.txt": State.REJECTED,
    }
    assert set(Submission.objects.values_list("channel", flat=True)) == {Channel.WEB}
    page = response.content.decode()
    assert "Not a DICOM file: " in page  # the reason is on the page
    # The stored study's description, Study Description "Thorax^RTP_4DCT_Thorax_C (Adult)", caret as a space
    assert "Thorax RTP_4DCT_Thorax_C (Adult)" in page and "Thorax^RTP" not in page
