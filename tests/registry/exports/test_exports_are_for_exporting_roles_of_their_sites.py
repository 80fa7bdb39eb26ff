"""Physicists, auditors and administrators export their sites; uploaders and other sites' people do not."""

from __future__ import annotations

import pytest
from django.test import Client

from registry.models import AuditEvent, Role, Site, Study
from tests.conftest import person
from tests.registry.exports.conftest import read_csv

pytestmark = pytest.mark.django_db
EXPORTS = ["/exports/studies.csv", "/exports/events.csv", "/exports/studies.xlsx", "/exports/events.xlsx"]


@pytest.mark.parametrize("path", [*EXPORTS, "/exports/audit-report.pdf?site=ALPHA"])
def test_anonymous_people_are_sent_to_sign_in(client: Client, registry: object, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", [*EXPORTS, "/exports/audit-report.pdf?site=ALPHA"])
def test_an_uploader_is_refused(client: Client, registry: object, alpha: Site, path: str) -> None:
    client.force_login(person("ulla", (alpha, Role.UPLOADER)))
    assert client.get(path).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()


@pytest.mark.parametrize("path", [*EXPORTS, "/exports/audit-report.pdf"])
def test_an_auditor_of_alpha_cannot_export_bravo(
    client: Client, registry: object, alpha: Site, path: str
) -> None:
    client.force_login(person("audrey", (alpha, Role.AUDITOR)))
    assert client.get(path, {"site": "BRAVO"}).status_code == 403


def test_an_auditor_exports_only_the_sites_where_they_audit(
    client: Client, registry: object, alpha: Site, bravo: Site
) -> None:
    client.force_login(person("audrey", (alpha, Role.AUDITOR), (bravo, Role.UPLOADER)))
    header, *rows = read_csv(client.get("/exports/studies.csv"))
    sites = {row[header.index("Site")] for row in rows}
    assert sites == {"ALPHA"} and len(rows) == Study.objects.filter(site=alpha).count()


def test_a_superuser_exports_every_site(client: Client, registry: object) -> None:
    client.force_login(person("root", superuser=True))
    header, *rows = read_csv(client.get("/exports/studies.csv"))
    assert {row[header.index("Site")] for row in rows} == {"ALPHA", "BRAVO"}
