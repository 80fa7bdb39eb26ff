"""Creating, changing and deleting a rule re-maps the studies it touches at once and writes an audit row."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registry.mapping.rules import mapping_rule_create, mapping_rule_delete, mapping_rule_update
from registry.models import AuditEvent, MappingRule, MatchKind, Role, Site
from tests.conftest import person
from tests.registry.mapping.conftest import MakeStudy, exam, exam_of

pytestmark = pytest.mark.django_db


def test_a_new_rule_maps_existing_studies_and_is_audited(north: Site, make_study: MakeStudy) -> None:
    physicist = person("pat", (north, Role.PHYSICIST))
    old = [make_study(north, "CT HEAD ROUTINE") for _ in range(3)]
    change = mapping_rule_create(
        actor=physicist, exam=exam("CT", "Head"), pattern=" CT HEAD ROUTINE ", site=north
    )
    assert change.studies_mapped == 3
    assert [exam_of(study) for study in old] == ["Head"] * 3
    event = AuditEvent.objects.get(action__startswith="mapping_rule.")
    assert (event.action, event.actor_label, event.site, event.before) == (
        "mapping_rule.created",
        "pat",
        north,
        None,
    )
    assert event.after == {
        "exam_id": exam("CT", "Head").pk,
        "exam": "CT Head",
        "site": "NORTH-01",
        "field": "study_description",
        "kind": "exact",
        "pattern": "CT HEAD ROUTINE",
        "priority": 100,
        "active": True,
    }
    assert event.detail == {"studies_mapped": 3, "studies_updated": 3}


def test_changing_a_rule_moves_its_studies_and_records_before_and_after(
    north: Site, make_study: MakeStudy
) -> None:
    physicist = person("pat", (north, Role.PHYSICIST))
    head, brain = make_study(north, "HEAD WO"), make_study(north, "BRAIN NON CONTRAST")
    rule = mapping_rule_create(actor=physicist, exam=exam("CT", "Head"), pattern="HEAD WO", site=north).rule
    assert rule is not None
    change = mapping_rule_update(actor=physicist, rule=rule, pattern="brain", kind=MatchKind.CONTAINS)
    assert change.studies_mapped == 1
    assert (exam_of(head), exam_of(brain)) == (None, "Head")
    event = AuditEvent.objects.filter(action="mapping_rule.updated").get()
    assert event.before is not None and event.after is not None
    assert (event.before["pattern"], event.before["kind"]) == ("HEAD WO", "exact")
    assert (event.after["pattern"], event.after["kind"]) == ("brain", "contains")


def test_deactivating_a_rule_lets_the_next_rule_map(north: Site, make_study: MakeStudy) -> None:
    admin = person("root", superuser=True)
    study = make_study(north, "CT CHEST W")
    first = mapping_rule_create(actor=admin, exam=exam("CT", "Chest"), pattern="CT CHEST W", priority=10).rule
    mapping_rule_create(
        actor=admin, exam=exam("CT", "Chest and abdomen"), pattern="chest", kind=MatchKind.CONTAINS
    )
    assert first is not None and exam_of(study) == "Chest"
    mapping_rule_update(actor=admin, rule=first, active=False)
    assert exam_of(study) == "Chest and abdomen"


def test_deleting_a_rule_unmaps_its_studies_and_is_audited(north: Site, make_study: MakeStudy) -> None:
    physicist = person("pat", (north, Role.ADMINISTRATOR))
    study = make_study(north, "CT HEAD ROUTINE")
    rule = mapping_rule_create(
        actor=physicist, exam=exam("CT", "Head"), pattern="CT HEAD ROUTINE", site=north
    ).rule
    assert rule is not None
    rule_id = rule.pk
    mapping_rule_delete(actor=physicist, rule=rule)
    assert exam_of(study) is None and not MappingRule.objects.exists()
    event = AuditEvent.objects.filter(action="mapping_rule.deleted").get()
    assert event.before is not None
    assert (event.object_id, event.after, event.before["pattern"]) == (str(rule_id), None, "CT HEAD ROUTINE")


@pytest.mark.parametrize(
    ("kind", "pattern", "message"),
    [
        (MatchKind.EXACT, "   ", "must not be empty"),
        (MatchKind.REGEX, "head(", "Not a valid regular expression"),
    ],
)
def test_empty_patterns_and_broken_regexes_are_refused(
    north: Site, kind: str, pattern: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        mapping_rule_create(
            actor=person("pat", (north, Role.PHYSICIST)),
            exam=exam("CT", "Head"),
            pattern=pattern,
            kind=kind,
            site=north,
        )
    assert not MappingRule.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="mapping_rule.").exists()


def test_a_second_active_rule_with_the_same_pattern_is_refused(north: Site) -> None:
    physicist = person("pat", (north, Role.PHYSICIST))
    mapping_rule_create(actor=physicist, exam=exam("CT", "Head"), pattern="HEAD WO", site=north)
    with pytest.raises(ValidationError, match="exists"):
        mapping_rule_create(actor=physicist, exam=exam("CT", "Chest"), pattern="head wo", site=north)


def test_global_rules_need_a_superuser_and_site_rules_a_physicist_there(north: Site, south: Site) -> None:
    physicist, uploader = person("pat", (north, Role.PHYSICIST)), person("ulla", (north, Role.UPLOADER))
    with pytest.raises(PermissionDenied):
        mapping_rule_create(actor=physicist, exam=exam("CT", "Head"), pattern="HEAD WO")
    with pytest.raises(PermissionDenied):
        mapping_rule_create(actor=physicist, exam=exam("CT", "Head"), pattern="HEAD WO", site=south)
    with pytest.raises(PermissionDenied):
        mapping_rule_create(actor=uploader, exam=exam("CT", "Head"), pattern="HEAD WO", site=north)
    assert not MappingRule.objects.exists()
