"""The nav shows "Audit log" to auditors and administrators only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from registry.models import Membership, Site

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "shown"), [("auditor", True), ("administrator", True), ("uploader", False)])
def test_the_audit_log_link_follows_the_role_held_at_sign_in(client: Client, role: str, shown: bool) -> None:
    site = Site.objects.create(code="A", name="A")
    user = User.objects.create_user(username=f"u-{role}", password="a-long-test-password")
    Membership.objects.create(user=user, site=site, role=role)
    assert client.login(username=user.username, password="a-long-test-password")
    assert (b"Audit log" in client.get("/reference-levels/").content) is shown
