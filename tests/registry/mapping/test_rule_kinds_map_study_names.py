"""Exact, contains and regex rules map study descriptions and requested procedures, ignoring case."""

from __future__ import annotations

import pytest

from registry.mapping.rules import mapping_apply
from registry.models import MappingRule, MatchField, MatchKind, Site
from tests.registry.mapping.conftest import MakeStudy, exam, exam_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "pattern", "mapped", "unmapped"),
    [
        (MatchKind.EXACT, "ct head routine", "CT HEAD ROUTINE", "CT HEAD ROUTINE 2"),
        (MatchKind.CONTAINS, "head", "Head^Routine (Adult)", "BRAIN NON CONTRAST"),
        (MatchKind.REGEX, "^(ct )?head( |$)", "HEAD WO", "CT Headache clinic"),
    ],
)
def test_each_kind_maps_what_it_matches_and_nothing_else(
    north: Site, make_study: MakeStudy, kind: str, pattern: str, mapped: str, unmapped: str
) -> None:
    MappingRule.objects.create(exam=exam("CT", "Head"), kind=kind, pattern=pattern)
    hit, miss = make_study(north, mapped), make_study(north, unmapped)
    assert mapping_apply() == 2
    assert (exam_of(hit), exam_of(miss)) == ("Head", None)


def test_a_requested_procedure_rule_reads_the_requested_procedure(north: Site, make_study: MakeStudy) -> None:
    MappingRule.objects.create(
        exam=exam("CT", "KUB"), field=MatchField.REQUESTED_PROCEDURE, kind=MatchKind.EXACT, pattern="CT KUB"
    )
    by_request = make_study(north, "Abdomen^Stone (Adult)", requested_procedure="ct kub")
    by_description = make_study(north, "CT KUB")
    mapping_apply()
    assert (exam_of(by_request), exam_of(by_description)) == ("KUB", None)


def test_a_rule_maps_only_studies_of_its_exams_modality(north: Site, make_study: MakeStudy) -> None:
    MappingRule.objects.create(exam=exam("DX", "Chest PA"), kind=MatchKind.EXACT, pattern="CHEST PA")
    radiograph, ct = (
        make_study(north, "CHEST PA", modality="DX"),
        make_study(north, "CHEST PA", modality="CT"),
    )
    mapping_apply()
    assert (exam_of(radiograph), exam_of(ct)) == ("Chest PA", None)


def test_inactive_rules_and_rules_of_inactive_exams_map_nothing(north: Site, make_study: MakeStudy) -> None:
    MappingRule.objects.create(exam=exam("CT", "Head"), pattern="HEAD WO", active=False)
    retired = exam("CT", "Abdomen")
    retired.active = False
    retired.save()
    MappingRule.objects.create(exam=retired, pattern="ABDOMEN")
    head, abdomen = make_study(north, "HEAD WO"), make_study(north, "ABDOMEN")
    mapping_apply()
    assert (exam_of(head), exam_of(abdomen)) == (None, None)
