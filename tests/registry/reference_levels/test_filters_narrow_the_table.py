"""Filters by modality, exam and issuer narrow the table to the matching current levels."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.test import Client

from registry.models import StandardExam
from tests.registry.reference_levels.conftest import Load, page


def test_modality_filter_keeps_one_table(
    published: Path, load: Load, client: Client, admin_user: User
) -> None:
    load(published)
    client.force_login(admin_user)
    html = page(client, "/reference-levels/", {"modality": "RF"})
    assert 'id="modality-RF"' in html
    assert 'id="modality-CT"' not in html


def test_issuer_and_exam_filters_combine(
    published: Path, load: Load, client: Client, admin_user: User
) -> None:
    load(published)
    client.force_login(admin_user)
    head = StandardExam.objects.get(modality="CT", name="Head")
    html = page(client, "/reference-levels/", {"issuer": "UKHSA", "exam": str(head.pk)})
    assert "790 mGy·cm" in html  # UKHSA 2022 Head DLP
    assert "47 mGy" in html  # UKHSA 2022 Head CTDIvol
    assert "1075 mGy·cm" not in html  # UCSF Head DLP P75
    assert "160 mGy·cm" not in html  # UKHSA Paranasal sinuses DLP
