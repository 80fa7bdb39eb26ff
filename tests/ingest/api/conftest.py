"""Fixtures for the REST and STOW-RS tests: a site token, an API client that uses it, and multipart bodies."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from registry.models import Site, UploadToken
from tests.conftest import corpus_file

SUBMISSIONS = "/api/v1/submissions/"
GOOD = ["CT-RDSR-Siemens-Multi-1.dcm", "DX-RDSR-Canon_CXDI.dcm"]


@pytest.fixture
def secret(site: Site) -> str:
    return UploadToken.issue(site, label="modality gateway")[1]


@pytest.fixture
def api(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


Post = Callable[..., Any]


@pytest.fixture
def post_file(api: APIClient, django_capture_on_commit_callbacks: Any) -> Post:
    """POST a corpus file (or bytes) to /api/v1/submissions/ and run the queued task (eager Celery)."""

    def _post(name: str, *, data: bytes | None = None, client: APIClient | None = None, **fields: str) -> Any:
        payload = data if data is not None else corpus_file(name).read_bytes()
        upload = SimpleUploadedFile(name, payload, content_type="application/dicom")
        with django_capture_on_commit_callbacks(execute=True):
            return (client or api).post(SUBMISSIONS, {"file": upload, **fields}, format="multipart")

    return _post


def related_body(parts: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    """A multipart/related STOW-RS body and its Content-Type, built by hand for the error cases."""
    boundary = uuid.uuid4().hex
    body = b"".join(
        b"\r\n--" + boundary.encode() + b"\r\nContent-Type: " + kind.encode() + b"\r\n\r\n" + data
        for kind, data in parts
    )
    content_type = f'multipart/related; type="application/dicom"; boundary={boundary}'
    return content_type, body + b"\r\n--" + boundary.encode() + b"--"


def dicom_parts(*names: str) -> list[tuple[str, bytes]]:
    return [("application/dicom", corpus_file(name).read_bytes()) for name in names]


def stow(client: APIClient, parts: list[tuple[str, bytes]], path: str = "/dicomweb/studies") -> Any:
    """POST a hand-built STOW-RS request with the test client."""
    content_type, body = related_body(parts)
    return post_raw(client, body, content_type, path)


def post_raw(client: APIClient, body: bytes, content_type: str, path: str = "/dicomweb/studies") -> Any:
    # Django's client takes bytes; the DRF stubs declare only str.
    return client.generic("POST", path, body, content_type=content_type)  # type: ignore[arg-type]
