"""The audit log in words: action names, one-line details, roles changed anywhere (the admin included),
and a CSV of what the filters select, its download itself audited."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from registry.models import AuditEvent, Membership, Role, Site, audit_record
from tests.conftest import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def site() -> Site:
    return Site.objects.create(code="ALPHA", name="Alpha")


@pytest.fixture
def auditor(client: Client, site: Site) -> Client:
    client.force_login(person("audrey", (site, Role.AUDITOR)))
    return client


def _rows(client: Client, **filters: str) -> list[dict[str, str]]:
    response = client.get("/audit/export.csv", filters)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kerma-audit-log.csv"'
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(text)))


def test_a_role_changed_in_the_admin_is_logged_with_who_and_what(site: Site, auditor: Client) -> None:
    root = person("root", superuser=True)
    root.is_staff = True  # the admin site wants staff
    root.save()
    admin = Client()
    admin.force_login(root)
    phil = person("phil", (site, Role.UPLOADER))
    membership = Membership.objects.get(user=phil)
    response = admin.post(
        f"/admin/registry/membership/{membership.pk}/change/",
        {"user": phil.pk, "site": site.pk, "role": Role.PHYSICIST.value},
    )
    assert response.status_code == 302
    changed = AuditEvent.objects.get(action="membership.changed")
    assert (changed.actor_label, changed.site) == ("root", site)

    (row,) = [row for row in _rows(auditor) if row["action code"] == "membership.changed"]
    assert row["who"] == "root"
    assert row["action"] == "Role changed"
    assert row["site"] == "ALPHA"
    assert row["detail"] == "role: Site uploader → Physicist / radiation-protection officer"
    page = auditor.get("/audit/", {"action": "membership."}).content.decode()
    assert '<td title="membership.changed">Role changed</td>' in page
    assert "role: Site uploader → Physicist / radiation-protection officer" in page


def test_roles_given_and_taken_outside_a_request_are_logged_as_system(site: Site, auditor: Client) -> None:
    nora = person("nora")
    given = Membership.objects.create(user=nora, site=site, role=Role.AUDITOR)
    given.delete()
    rows = {
        row["action code"]: row for row in _rows(auditor, action="membership.") if "nora" in row["detail"]
    }
    assert rows["membership.granted"]["who"] == "system"
    assert rows["membership.granted"]["detail"] == "person: nora; role: Auditor; site: ALPHA"
    assert rows["membership.revoked"]["action"] == "Role taken away"
    assert rows["membership.revoked"]["detail"] == "person: nora; role: Auditor; site: ALPHA"


def test_details_read_as_one_line_not_python(site: Site, auditor: Client) -> None:
    export = {"format": "csv", "filters": {"modality": "CT", "site": "ALPHA", "exam": None}, "rows": 3}
    audit_record(actor="someone", action="export.csv", site=site, detail=export)
    (row,) = [row for row in _rows(auditor) if row["action code"] == "export.csv"]
    assert row["action"] == "Exported CSV"
    assert row["detail"] == "filters: modality CT, site ALPHA; format: csv; rows: 3"  # keys alphabetical


def test_the_csv_follows_the_filters_and_its_download_is_audited(site: Site, auditor: Client) -> None:
    audit_record(actor="someone", action="token.issued", site=site, detail={"label": "PACS"})
    audit_record(actor="someone", action="export.csv", site=site, detail={"rows": 1})
    tokens_only = _rows(auditor, action="token.")
    assert [row["action"] for row in tokens_only] == ["Upload token issued"]
    downloaded = AuditEvent.objects.filter(action="export.audit_log").latest("at")
    assert downloaded.actor_label == "audrey"
    assert downloaded.detail == {"filters": {"action": "token."}}
    assert "Download these events (CSV)" in auditor.get("/audit/").content.decode()


def test_admin_rights_given_to_an_account_are_logged(site: Site, auditor: Client) -> None:
    root = person("root", superuser=True)
    assert AuditEvent.objects.get(action="user.created_privileged").detail == {"person": "root"}
    phil = person("phil", (site, Role.PHYSICIST))
    phil.is_staff = True
    phil.save()
    (event,) = AuditEvent.objects.filter(action="user.privileges_changed")
    assert event.before is not None and event.after is not None
    assert (event.before["is_staff"], event.after["is_staff"], event.detail) == (
        False,
        True,
        {"person": "phil"},
    )
    assert root.is_superuser
