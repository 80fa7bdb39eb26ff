"""Fixtures for the upload-token pages: two sites and people with roles at them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from registry.models import Membership, Role, Site


def person(username: str, *roles: tuple[Site, str], superuser: bool = False) -> User:
    user = User.objects.create_user(username, password="a-long-test-password", is_superuser=superuser)
    for site, role in roles:
        Membership.objects.create(user=user, site=site, role=role)
    return user


@pytest.fixture
def administrator(north: Site) -> User:
    return person("admin-north", (north, Role.ADMINISTRATOR))


@pytest.fixture
def admin_client(client: Client, administrator: User) -> Client:
    """Signed in as an administrator of NORTH-01."""
    client.force_login(administrator)
    return client
