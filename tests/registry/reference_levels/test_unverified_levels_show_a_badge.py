"""Unverified published levels are loaded as such and visibly marked on the page."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client

from registry.models import ReferenceLevel
from tests.registry.reference_levels.conftest import Load, page


def row_of(html: str, level: ReferenceLevel) -> str:
    """The table row that links to the level's history."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S)
    (row,) = [row for row in rows if f"/reference-levels/{level.pk}/history/" in row]
    return row


def test_an_unverified_row_keeps_its_status_and_carries_the_badge(
    published: Path, load: Load, client: Client, admin_user: User
) -> None:
    load(published)
    # drl.csv: EC 2018 CT Head, paediatric 0-<3 months, DLP P75 300 mGy.cm, unverified
    level = ReferenceLevel.objects.get(issuer="EC", patient_group="paediatric 0-<3 months", metric="dlp")
    assert level.status == "unverified"
    client.force_login(admin_user)
    row = row_of(page(client, "/reference-levels/"), level)
    assert '<mark class="badge badge-unverified"' in row
    assert ">unverified</mark>" in row
    assert "300 mGy·cm" in row


def test_a_verified_row_has_no_badge(published: Path, load: Load, client: Client, admin_user: User) -> None:
    load(published)
    level = ReferenceLevel.objects.get(issuer="UKHSA", exam__name="Head", metric="dlp")
    client.force_login(admin_user)
    row = row_of(page(client, "/reference-levels/"), level)
    assert "unverified" not in row
    assert "790 mGy·cm" in row
