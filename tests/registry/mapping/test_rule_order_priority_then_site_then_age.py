"""First match wins: lower priority first; at equal priority a site's rule beats a global one."""

from __future__ import annotations

import pytest

from registry.mapping.rules import mapping_apply
from registry.models import MappingRule, MatchKind, Site
from tests.registry.mapping.conftest import MakeStudy, exam, exam_of

pytestmark = pytest.mark.django_db


def test_the_lower_priority_number_wins(north: Site, make_study: MakeStudy) -> None:
    MappingRule.objects.create(
        exam=exam("CT", "Chest"), kind=MatchKind.CONTAINS, pattern="chest", priority=50
    )
    MappingRule.objects.create(
        exam=exam("CT", "Chest-abdomen-pelvis"), kind=MatchKind.CONTAINS, pattern="abd"
    )
    MappingRule.objects.create(
        exam=exam("CT", "Chest-abdomen-pelvis"), kind=MatchKind.CONTAINS, pattern="chest abd", priority=10
    )
    cap, chest = make_study(north, "CT CHEST ABD PELVIS"), make_study(north, "CT CHEST")
    mapping_apply()
    assert (exam_of(cap), exam_of(chest)) == ("Chest-abdomen-pelvis", "Chest")


def test_at_equal_priority_the_sites_own_rule_beats_the_global_one(
    north: Site, south: Site, make_study: MakeStudy
) -> None:
    MappingRule.objects.create(exam=exam("CT", "Chest"), pattern="THORAX STANDARD")  # global, older
    MappingRule.objects.create(exam=exam("CT", "HRCT chest (helical)"), pattern="THORAX STANDARD", site=north)
    at_north, at_south = make_study(north, "THORAX STANDARD"), make_study(south, "THORAX STANDARD")
    mapping_apply()
    assert (exam_of(at_north), exam_of(at_south)) == ("HRCT chest (helical)", "Chest")


def test_a_global_rule_with_a_lower_number_still_beats_a_site_rule(
    north: Site, make_study: MakeStudy
) -> None:
    MappingRule.objects.create(exam=exam("CT", "Chest"), pattern="THORAX STANDARD", priority=10)
    MappingRule.objects.create(exam=exam("CT", "HRCT chest (helical)"), pattern="THORAX STANDARD", site=north)
    study = make_study(north, "THORAX STANDARD")
    mapping_apply()
    assert exam_of(study) == "Chest"


def test_a_site_rule_never_maps_another_sites_studies(
    north: Site, south: Site, make_study: MakeStudy
) -> None:
    MappingRule.objects.create(exam=exam("CT", "Head"), pattern="HEAD WO", site=north)
    study = make_study(south, "HEAD WO")
    mapping_apply()
    assert exam_of(study) is None
