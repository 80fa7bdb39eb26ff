"""A file or archive over the size limit is refused with a message that says so, and nothing is stored."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ingest.models import Submission
from tests.ingest.web.conftest import Post, corpus_upload

pytestmark = pytest.mark.django_db


@override_settings(KERMA_MAX_UPLOAD_BYTES=10_000)
def test_an_oversize_file_is_named_on_the_page_and_nothing_is_stored(post_upload: Post) -> None:
    response = post_upload(
        corpus_upload("DX-RDSR-Canon_CXDI.dcm"),  # 8748 bytes: under the limit
        SimpleUploadedFile("big.dcm", b"x" * 10_001),
    )
    assert response.status_code == 200
    assert "Too large: big.dcm" in response.content.decode()
    assert "nothing was uploaded" in response.content.decode()
    assert not Submission.objects.exists()


@override_settings(KERMA_MAX_UPLOAD_BYTES=10_000)
def test_a_small_zip_that_unpacks_over_the_limit_is_refused_with_a_message(post_upload: Post) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.dcm", bytes(50_000))
    response = post_upload(SimpleUploadedFile("bomb.zip", buffer.getvalue()))
    assert "bomb.zip was not uploaded" in response.content.decode()
    assert "more than the" in response.content.decode()
    assert not Submission.objects.exists()
