"""New passwords are hashed with Argon2; older PBKDF2 hashes still sign in and are upgraded on the way."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_new_password_is_an_argon2_hash() -> None:
    user = User.objects.create_user("alice", password="a-long-test-password")
    assert user.password.startswith("argon2$argon2id$")


def test_an_old_pbkdf2_hash_still_signs_in_and_becomes_argon2(client: Client) -> None:
    old = make_password("a-long-test-password", hasher="pbkdf2_sha256")
    User.objects.create(username="bob", password=old)
    response = client.post("/accounts/login/", {"username": "bob", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert User.objects.get(username="bob").password.startswith("argon2$")
