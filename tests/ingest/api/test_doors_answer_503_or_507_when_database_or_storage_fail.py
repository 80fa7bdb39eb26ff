"""Database down, storage full or not writable: the doors answer 503/507 with Retry-After, never 500,
and keep nothing (no row, no spooled file), so the sender's retry is the only copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ingest.models import Submission
from tests.ingest.api.conftest import Post, dicom_parts, stow
from tests.ingest.faults import DatabaseDown, stored_files

pytestmark = pytest.mark.django_db
REPORT = "DX-RDSR-Canon_CXDI.dcm"


def _nothing_kept(storage: Path) -> None:
    assert Submission.objects.count() == 0
    assert stored_files(storage, "spool") == []


def test_rest_answers_503_with_retry_after_while_the_database_is_down(
    post_file: Post, database_down: DatabaseDown, private_storage: Path
) -> None:
    database_down.active = True
    response = post_file(REPORT)
    database_down.active = False
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "database is unavailable" in response.json()["detail"]
    _nothing_kept(private_storage)


def test_stow_answers_503_with_retry_after_while_the_database_is_down(
    api: APIClient, database_down: DatabaseDown, private_storage: Path
) -> None:
    database_down.active = True
    response = stow(api, dicom_parts(REPORT))
    database_down.active = False
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    _nothing_kept(private_storage)


def test_a_page_answers_a_503_page_while_the_database_is_down(
    client: Client, database_down: DatabaseDown
) -> None:
    """The sign-in page reads the database (django-axes); the answer is a page, not Django's 500."""
    database_down.active = True
    response = client.post("/accounts/login/", {"username": "someone", "password": "x"})
    database_down.active = False
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Unavailable for a moment" in response.content


def test_rest_and_stow_answer_507_while_storage_is_full(
    settings: Any, post_file: Post, api: APIClient, private_storage: Path
) -> None:
    settings.KERMA_STORAGE_MIN_FREE_MB = 2**40  # no disk has a million terabytes free
    rest, dicomweb = post_file(REPORT), stow(api, dicom_parts(REPORT))
    for response in (rest, dicomweb):
        assert response.status_code == 507
        assert response["Retry-After"] == "300"
        assert response.json()["detail"].startswith("storage full: ")
    _nothing_kept(private_storage)


def test_rest_answers_503_while_storage_cannot_be_written(
    settings: Any, post_file: Post, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    settings.MEDIA_ROOT = blocker / "storage"  # a folder inside a file cannot exist, even for root
    response = post_file(REPORT)
    assert response.status_code == 503
    assert "not writable" in response.json()["detail"]
    assert Submission.objects.count() == 0
