"""/audit/: auditors and administrators read their sites' trail: sign-ins, failed sign-ins and exports."""

from __future__ import annotations

import pytest
from django.test import Client

from registry.models import AuditEvent, Role, Site
from tests.conftest import person
from tests.registry.exports.conftest import streamed

pytestmark = pytest.mark.django_db


def test_a_sign_in_a_failed_sign_in_and_an_export_are_listed(registry: object, alpha: Site) -> None:
    person("phil", (alpha, Role.PHYSICIST), password="correct horse")
    browser = Client()
    browser.post("/accounts/login/", {"username": "phil", "password": "wrong password"})
    assert (
        browser.post("/accounts/login/", {"username": "phil", "password": "correct horse"}).status_code == 302
    )
    streamed(browser.get("/exports/studies.csv", {"site": "ALPHA"}))
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.detail == {"username": "phil"} and "wrong" not in str(failed.detail)
    auditor = Client()
    auditor.force_login(person("audrey", (alpha, Role.AUDITOR)))
    page = auditor.get("/audit/").content.decode()
    for code, words in (
        ("auth.login", "Signed in"),
        ("auth.login_failed", "Sign-in failed"),
        ("export.csv", "Exported CSV"),
        ("export.completed", "Export file ready"),
    ):
        assert f'<td title="{code}">{words}</td>' in page
    exports_only = auditor.get("/audit/", {"action": "export."}).content.decode()
    assert ">Exported CSV</td>" in exports_only and ">Signed in</td>" not in exports_only


def test_the_audit_log_is_not_for_physicists_or_uploaders(
    client: Client, registry: object, alpha: Site
) -> None:
    for role in (Role.PHYSICIST, Role.UPLOADER):
        client.force_login(person(f"p-{role}", (alpha, role)))
        assert client.get("/audit/").status_code == 403


def test_an_auditor_does_not_see_another_sites_rows(
    client: Client, registry: object, alpha: Site, bravo: Site
) -> None:
    client.force_login(person("bob", (bravo, Role.PHYSICIST)))
    streamed(client.get("/exports/studies.csv"))
    client.force_login(person("audrey", (alpha, Role.AUDITOR)))
    page = client.get("/audit/", {"action": "export."}).content.decode()
    assert "<td>bob</td>" not in page and "No audit events match" in page
