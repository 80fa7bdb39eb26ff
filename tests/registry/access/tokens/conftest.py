"""Fixtures for the upload-token pages: two sites and people with roles at them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from registry.models import Role, Site
from tests.conftest import person


@pytest.fixture
def administrator(north: Site) -> User:
    return person("admin-north", (north, Role.ADMINISTRATOR))


@pytest.fixture
def admin_client(client: Client, administrator: User) -> Client:
    """Signed in as an administrator of NORTH-01."""
    client.force_login(administrator)
    return client
