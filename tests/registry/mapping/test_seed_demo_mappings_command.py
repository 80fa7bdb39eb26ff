"""seed_demo_mappings maps the demo names it knows, leaves the rest for the page, and runs twice safely."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from registry.models import AuditEvent, MappingRule, Site
from tests.registry.mapping.conftest import MakeStudy, exam_of

pytestmark = pytest.mark.django_db


def test_known_names_are_mapped_and_left_out_ones_are_not(north: Site, make_study: MakeStudy) -> None:
    head, abdomen_pelvis = make_study(north, "HEAD WO"), make_study(north, "ABD/PEL W")
    out = io.StringIO()
    call_command("seed_demo_mappings", stdout=out)
    assert (exam_of(head), exam_of(abdomen_pelvis)) == ("Head", None)
    assert "studies mapped" in out.getvalue() and ", 1 studies mapped." in out.getvalue()
    rules = MappingRule.objects.count()
    assert rules == AuditEvent.objects.filter(actor_label="seed_demo_mappings").count() > 30
    call_command("seed_demo_mappings", stdout=io.StringIO())
    assert MappingRule.objects.count() == rules
