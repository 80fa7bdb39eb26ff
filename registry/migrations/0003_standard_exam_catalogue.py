"""Seed the standard-examination catalogue from registry/data/standard_exams.json.

Forward creates each (modality, name) that is missing and leaves existing rows as they are, so it is safe to
run on a database where someone already added some of them by hand. Backward deletes only the catalogue's
names, and keeps any that a reference level still points to (that link is PROTECT: it must not vanish).
"""

import json
from pathlib import Path
from typing import Any

from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "standard_exams.json"
FIELDS = ("code_system", "code", "description")


def catalogue_entries() -> list[dict[str, str]]:
    """The committed catalogue (never read from outside the project: deployments have only this tree)."""
    return json.loads(CATALOGUE.read_text(encoding="utf-8"))["exams"]


def seed_catalogue(apps: Any, schema_editor: Any) -> None:
    exam_model = apps.get_model("registry", "StandardExam")
    for entry in catalogue_entries():
        exam_model.objects.get_or_create(
            modality=entry["modality"],
            name=entry["name"],
            defaults={name: entry.get(name, "") for name in FIELDS},
        )


def unseed_catalogue(apps: Any, schema_editor: Any) -> None:
    exam_model = apps.get_model("registry", "StandardExam")
    for entry in catalogue_entries():
        exam_model.objects.filter(
            modality=entry["modality"], name=entry["name"], reference_levels__isnull=True
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_exams_mapping_reference_levels_audit")]

    operations = [migrations.RunPython(seed_catalogue, unseed_catalogue)]
