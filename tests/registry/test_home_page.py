"""The home page is for signed-in users only and introduces the registry."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import person

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_login_page(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_signed_in_user_sees_the_registry_introduction(client: Client) -> None:
    client.force_login(person("reader"))
    response = client.get("/")
    assert response.status_code == 200
    assert b"Kerma" in response.content
    assert b"radiation dose structured reports" in response.content
    # Scripts only from our own static files (a strict CSP): no inline script bodies.
    assert not re.search(rb"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>\s*\S", response.content)


def test_login_page_renders_the_sign_in_form(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content
