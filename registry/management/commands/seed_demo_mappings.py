"""Management command that maps most of the demo sites' exam names to standard exams (make demo)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from registry.mapping.rules import mapping_rule_create
from registry.models import MappingRule, StandardExam

DEMO_MAPPINGS = Path(__file__).resolve().parents[2] / "data" / "demo_mappings.json"
ACTOR = "seed_demo_mappings"


class Command(BaseCommand):
    help = (
        "Create global rules for most synthetic demo exam names (a few stay unmapped for the mapping page)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created = mapped = 0
        for group in json.loads(DEMO_MAPPINGS.read_text(encoding="utf-8"))["rules"]:
            exam = StandardExam.objects.get(modality=group["modality"], name=group["exam"])
            for name in group["names"]:
                # Idempotent: a second `make demo` finds its rules and adds none.
                if MappingRule.objects.filter(site=None, pattern__iexact=name, active=True).exists():
                    continue
                change = mapping_rule_create(actor=ACTOR, exam=exam, pattern=name)
                created, mapped = created + 1, mapped + change.studies_mapped
        self.stdout.write(f"Demo mapping rules: {created} created, {mapped} studies mapped.")
