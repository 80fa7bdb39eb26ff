"""Rotating revokes every active token and makes one new one; revoking stops one token."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client

from registry.models import Site, UploadToken

pytestmark = pytest.mark.django_db
LIST = "/sites/NORTH-01/tokens/"


def test_rotate_revokes_the_old_tokens_and_shows_a_working_new_one(admin_client: Client, north: Site) -> None:
    _, old = UploadToken.issue(north)
    _, older = UploadToken.issue(north)
    response = admin_client.post(LIST + "rotate/", {"label": "rotated", "confirm": "on"}, follow=True)
    html = response.content.decode()
    assert "Revoked 2 active token(s)" in html
    new = re.search(r'<code class="secret">([^<]+)</code>', html)
    assert new is not None
    assert not UploadToken.objects.matching(old).exists()
    assert not UploadToken.objects.matching(older).exists()
    assert UploadToken.objects.matching(new.group(1)).get().site == north


def test_rotate_without_confirming_changes_nothing(admin_client: Client, north: Site) -> None:
    _, old = UploadToken.issue(north)
    response = admin_client.post(LIST + "rotate/", {"label": ""})
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert UploadToken.objects.matching(old).exists()
    assert UploadToken.objects.count() == 1


def test_revoke_stops_only_that_token(admin_client: Client, north: Site) -> None:
    token, secret = UploadToken.issue(north)
    _, other = UploadToken.issue(north)
    response = admin_client.post(f"{LIST}{token.pk}/revoke/")
    assert response["Location"] == LIST
    assert not UploadToken.objects.matching(secret).exists()
    assert UploadToken.objects.matching(other).exists()


def test_the_api_refuses_a_token_revoked_on_the_page(admin_client: Client, north: Site) -> None:
    token, secret = UploadToken.issue(north)
    url = f"/api/v1/submissions/{uuid.uuid4()}/"
    assert Client().get(url, HTTP_AUTHORIZATION=f"Token {secret}").status_code == 404  # accepted, no such one
    admin_client.post(f"{LIST}{token.pk}/revoke/")
    response = Client().get(url, HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
