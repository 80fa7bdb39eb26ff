"""Whole-request refusals of STOW-RS: media type 415, unreadable body 400, no token 401, too large 413."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from ingest.models import Submission
from tests.ingest.api.conftest import dicom_parts, post_raw, related_body, stow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "content_type",
    [
        "application/dicom",
        'multipart/related; type="application/dicom+json"; boundary=x',
        "multipart/form-data",
    ],
)
def test_a_wrong_media_type_is_415(api: APIClient, content_type: str) -> None:
    response = post_raw(api, b"--x\r\n\r\nD\r\n--x--", content_type)
    assert response.status_code == 415


@pytest.mark.parametrize(
    "body", [b"no boundary here", b"--x\r\nContent-Type: application/dicom\r\n\r\nno end", b"--x--"]
)
def test_a_body_that_is_not_multipart_is_400(api: APIClient, body: bytes) -> None:
    content_type = 'multipart/related; type="application/dicom"; boundary=x'
    response = post_raw(api, body, content_type)
    assert response.status_code == 400


def test_an_unquoted_type_parameter_is_understood(api: APIClient) -> None:
    content_type, body = related_body(dicom_parts("DX-RDSR-Canon_CXDI.dcm"))
    unquoted = content_type.replace('"application/dicom"', "application/dicom")
    assert post_raw(api, body, unquoted).status_code == 200


def test_without_a_token_it_is_401(api: APIClient) -> None:
    content_type, body = related_body(dicom_parts("DX-RDSR-Canon_CXDI.dcm"))
    response = post_raw(APIClient(), body, content_type)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@override_settings(KERMA_MAX_UPLOAD_BYTES=1000)
def test_a_body_beyond_the_limit_is_413(api: APIClient) -> None:
    response = stow(api, [("application/dicom", b"x" * 100_000)])
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


@override_settings(KERMA_MAX_UPLOAD_BYTES=5000)
def test_a_part_beyond_the_limit_fails_with_out_of_resources(api: APIClient) -> None:
    response = stow(api, dicom_parts("CT-RDSR-Siemens-Multi-1.dcm"))  # 9990 bytes
    assert response.status_code == 409
    assert b'"Value": [42752]' in response.content  # 0xA700
    assert Submission.objects.count() == 0
