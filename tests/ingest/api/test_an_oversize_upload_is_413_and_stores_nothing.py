"""Uploads beyond KERMA_MAX_UPLOAD_BYTES are refused with 413 naming the limit; nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from ingest.models import Submission
from tests.ingest.api.conftest import Post

pytestmark = pytest.mark.django_db


@override_settings(KERMA_MAX_UPLOAD_BYTES=5000)
def test_a_file_beyond_the_limit_is_413_naming_the_limit(post_file: Post, private_storage: Path) -> None:
    response = post_file("CT-RDSR-Siemens-Multi-1.dcm")  # 9990 bytes
    assert response.status_code == 413
    assert "limit of 5000 bytes" in response.json()["detail"]
    assert Submission.objects.count() == 0
    assert not any(path.is_file() for path in private_storage.rglob("*"))


@override_settings(KERMA_MAX_UPLOAD_BYTES=5000)
def test_a_declared_length_beyond_the_limit_is_refused_before_reading(api: APIClient) -> None:
    upload = SimpleUploadedFile("small.dcm", b"x" * 10)
    response = api.post(
        "/api/v1/submissions/", {"file": upload}, format="multipart", CONTENT_LENGTH=str(10**9)
    )
    assert response.status_code == 413
    assert "1000000000 bytes" in response.json()["detail"]
    assert Submission.objects.count() == 0
