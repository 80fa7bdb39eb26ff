"""The seeded catalogue holds every (modality, exam) of the reference-level library, and the common exams."""

from __future__ import annotations

import csv
import importlib
import json

import pytest
from django.apps import apps

from registry.models import StandardExam
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.django_db
DRL_CSV = PROJECT_ROOT.parent / "shared" / "reference-levels" / "drl.csv"
CATALOGUE = PROJECT_ROOT / "registry" / "data" / "standard_exams.json"
migration = importlib.import_module("registry.migrations.0003_standard_exam_catalogue")


def _seeded() -> set[tuple[str, str]]:
    """Run the migration's seeding (a transactional test elsewhere may have emptied the table)."""
    migration.seed_catalogue(apps, None)
    return set(StandardExam.objects.values_list("modality", "name"))


def test_every_drl_exam_is_in_the_catalogue() -> None:
    if not DRL_CSV.is_file():
        pytest.skip(f"reference-level library not found at {DRL_CSV}")
    with DRL_CSV.open(encoding="utf-8") as handle:
        wanted = {(row["modality"], row["exam"]) for row in csv.DictReader(handle)}
    assert len(wanted) == 22
    assert wanted <= _seeded()


@pytest.mark.parametrize(
    ("modality", "name"),
    [
        ("CT", "CT pulmonary angiogram"),
        ("DX", "Chest PA"),
        ("DX", "Lumbar spine AP and lateral"),
        ("RF", "Barium swallow"),
        ("RF", "Coronary angiography"),
        ("MG", "Digital breast tomosynthesis"),
        ("NM", "FDG PET/CT whole body"),
    ],
)
def test_common_exams_of_each_modality_are_seeded(modality: str, name: str) -> None:
    assert (modality, name) in _seeded()


def test_seeding_twice_adds_nothing_and_keeps_codes() -> None:
    first = _seeded()
    assert _seeded() == first
    assert len(first) >= len(json.loads(CATALOGUE.read_text(encoding="utf-8"))["exams"])
    chest_pa = StandardExam.objects.get(modality="DX", name="Chest PA")
    assert (chest_pa.code_system, chest_pa.code) == ("RPID", "RPID6035")


def test_unseeding_removes_only_the_catalogue_names() -> None:
    _seeded()
    StandardExam.objects.create(modality="CT", name="Local cardiac protocol")
    migration.unseed_catalogue(apps, None)
    assert list(StandardExam.objects.values_list("name", flat=True)) == ["Local cardiac protocol"]
