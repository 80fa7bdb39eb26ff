"""The nav shows "Audit log" to auditors and administrators only."""

from __future__ import annotations

import pytest
from django.test import Client

from registry.models import Site
from tests.conftest import DEFAULT_PASSWORD, person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "shown"), [("auditor", True), ("administrator", True), ("uploader", False)])
def test_the_audit_log_link_follows_the_role_held_at_sign_in(client: Client, role: str, shown: bool) -> None:
    site = Site.objects.create(code="A", name="A")
    user = person(f"u-{role}", (site, role))
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    assert (b"Audit log" in client.get("/reference-levels/").content) is shown
