"""A ZIP archive is unpacked: each member becomes its own submission, named after archive and member."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ingest.models import State, Submission
from tests.conftest import corpus_file
from tests.ingest.web.conftest import Post

pytestmark = pytest.mark.django_db


def test_each_member_of_an_uploaded_zip_is_one_submission(post_upload: Post) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ct/multi-3.dcm", corpus_file("CT-RDSR-Siemens-Multi-3.dcm").read_bytes())
        archive.writestr("rf/zee.dcm", corpus_file("RF-RDSR-Siemens-Zee.dcm").read_bytes())
    post_upload(SimpleUploadedFile("reports.zip", buffer.getvalue()))
    assert dict(Submission.objects.values_list("filename", "state")) == {
        "reports.zip/ct/multi-3.dcm": State.STORED,
        "reports.zip/rf/zee.dcm": State.STORED,
    }
