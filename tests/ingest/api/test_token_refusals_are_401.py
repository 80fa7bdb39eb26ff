"""Missing, wrong, malformed or revoked tokens: 401 with WWW-Authenticate: Token and a message saying why."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ingest.models import Submission
from registry.models import UploadToken
from tests.ingest.api.conftest import Post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "not provided"),
        ("Token not-a-real-token-at-all", "Invalid upload token"),
        ("Token two parts", "Malformed"),
    ],
)
def test_a_bad_or_missing_token_is_401(post_file: Post, header: str | None, message: str) -> None:
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = post_file("CT-RDSR-Siemens-Multi-1.dcm", client=client)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert message in response.json()["detail"]
    assert Submission.objects.count() == 0


def test_a_revoked_token_is_401_and_says_revoked(post_file: Post, secret: str) -> None:
    UploadToken.objects.update(revoked_at=timezone.now())
    response = post_file("CT-RDSR-Siemens-Multi-1.dcm")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
