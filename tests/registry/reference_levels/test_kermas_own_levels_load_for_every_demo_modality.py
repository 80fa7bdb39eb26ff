"""Kerma's own published levels (registry/reference_levels/data/) load cleanly, each linked to a standard
exam, all marked unverified until someone checks them, and give the demo's radiography, mammography and
fluoroscopy exams a published level (the two-view lumbar spine has none: per-view DRLs do not add up)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from registry.models import ReferenceLevel

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "registry" / "reference_levels" / "data"


def test_every_row_loads_linked_and_unverified() -> None:
    call_command("load_reference_levels", str(DATA))
    with (DATA / "drl.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    levels = ReferenceLevel.objects.all()
    assert levels.count() == len(rows) == 12
    assert not levels.filter(exam__isnull=True).exists()
    assert set(levels.values_list("status", flat=True)) == {"unverified"}
    # DAP is stated in Gy·cm² and stored in Gy·m²: the chest PA NDRL of 0.1 Gy·cm² is 1e-5 Gy·m².
    assert levels.get(exam__name="Chest PA").value == pytest.approx(1e-5)


def test_the_demo_exams_have_a_published_level() -> None:
    call_command("load_reference_levels", str(DATA))
    rules = json.loads((Path(settings.BASE_DIR) / "registry" / "data" / "demo_mappings.json").read_text())
    exams = {(rule["modality"], rule["exam"]) for rule in rules["rules"] if rule["modality"] != "CT"}
    levelled = set(ReferenceLevel.objects.values_list("modality", "exam__name"))
    assert exams - levelled == {("DX", "Lumbar spine AP and lateral")}
