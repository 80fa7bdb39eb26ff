"""Issuing, rotating and revoking write audit rows naming the token by prefix, never its secret or digest;
the add_site command goes through the same actions."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from registry.access.tokens import upload_token_issue, upload_token_revoke, upload_token_rotate
from registry.models import AuditEvent, Site, UploadToken

pytestmark = pytest.mark.django_db


def trail() -> str:
    """Every audit row as text, to search for secrets in."""
    return json.dumps(list(AuditEvent.objects.values()), default=str)


def test_issue_rotate_revoke_each_write_their_row(north: Site, administrator: User) -> None:
    first = upload_token_issue(actor=administrator, site=north, label="router")
    rotated, revoked = upload_token_rotate(actor=administrator, site=north)
    upload_token_revoke(actor=administrator, site=north, token=rotated.token)
    rows = list(AuditEvent.objects.filter(action__startswith="token.").order_by("id"))
    assert [row.action for row in rows] == ["token.issued", "token.rotated", "token.revoked"]
    assert {row.site for row in rows} == {north}
    assert {row.actor for row in rows} == {administrator}
    assert rows[0].after is not None and rows[0].after["prefix"] == first.token.prefix
    assert rows[1].detail == {"revoked": [first.token.prefix]}
    assert revoked == 1


def test_no_row_holds_a_secret_or_digest(north: Site, administrator: User) -> None:
    issued = upload_token_issue(actor=administrator, site=north)
    rotated, _ = upload_token_rotate(actor=administrator, site=north)
    text = trail()
    for secret in (issued.secret, rotated.secret):
        assert secret not in text
    for token in UploadToken.objects.all():
        assert token.digest not in text


def test_revoking_a_revoked_token_changes_and_records_nothing(north: Site, administrator: User) -> None:
    issued = upload_token_issue(actor=administrator, site=north)
    assert upload_token_revoke(actor=administrator, site=north, token=issued.token) is True
    assert upload_token_revoke(actor=administrator, site=north, token=issued.token) is False
    assert AuditEvent.objects.filter(action="token.revoked").count() == 1


def test_the_add_site_command_is_on_the_trail(db: None) -> None:
    call_command("add_site", "EAST-03", "--name", "East", stdout=StringIO())
    call_command("add_site", "EAST-03", "--rotate", stdout=StringIO())
    call_command("add_site", "EAST-03", "--revoke", stdout=StringIO())
    rows = list(
        AuditEvent.objects.filter(action__startswith="token.")
        .order_by("id")
        .values_list("action", "actor_label")
    )
    assert rows == [
        ("token.issued", "manage.py add_site"),
        ("token.rotated", "manage.py add_site"),
        ("token.revoked", "manage.py add_site"),
    ]
