"""Suggestions: what other sites' rules map the same name to comes first, then name similarity."""

from __future__ import annotations

import pytest

from registry.mapping.suggestions import normalise, similarity, suggestions
from registry.models import MappingRule, MatchKind, Site
from tests.registry.mapping.conftest import exam

pytestmark = pytest.mark.django_db


def test_another_sites_rule_for_the_same_normalised_name_ranks_first(north: Site, south: Site) -> None:
    # By similarity alone "Chest" wins for "Thorax^Standard"; the other site decided "HRCT chest (helical)".
    MappingRule.objects.create(exam=exam("CT", "HRCT chest (helical)"), pattern="THORAX STANDARD", site=south)
    ranked = suggestions("Thorax^Standard", "CT", site=north)
    assert [suggestion.exam.name for suggestion in ranked[:2]] == ["HRCT chest (helical)", "Chest"]
    assert (ranked[0].sites, ranked[0].reason) == (1, "1 other site maps this name here")
    assert ranked[1].sites == 0 and ranked[1].reason == f"name similarity {ranked[1].score}/100"


def test_the_sites_own_rules_are_no_evidence(north: Site) -> None:
    MappingRule.objects.create(exam=exam("CT", "KUB"), pattern="HEAD WO", site=north)
    assert suggestions("HEAD WO", "CT", site=north)[0].exam.name == "Head"


def test_regex_and_contains_rules_of_other_sites_count(north: Site, south: Site) -> None:
    MappingRule.objects.create(exam=exam("CT", "Urogram"), kind=MatchKind.REGEX, pattern="^uro", site=south)
    MappingRule.objects.create(exam=exam("CT", "Urogram"), kind=MatchKind.CONTAINS, pattern="ivu")
    top = suggestions("URO IVU PHASE", "CT", site=north)[0]
    assert (top.exam.name, top.sites) == ("Urogram", 2)  # south and the global rule


@pytest.mark.parametrize(
    ("name", "best"),
    [
        ("CT CHEST ABD PELVIS", "Chest-abdomen-pelvis"),
        ("Abdomen^AbdPel (Adult)", "Abdomen-pelvis"),
        ("HEAD WO", "Head"),
        ("Thorax pa", "Chest PA"),
        ("FL ESOPHAGRAM", "Barium swallow"),
    ],
)
def test_similarity_picks_the_exam_that_covers_the_name(name: str, best: str, db: None) -> None:
    modality = {"Chest PA": "DX", "Barium swallow": "RF"}.get(best, "CT")
    assert suggestions(name, modality)[0].exam.name == best


def test_normalising_drops_case_punctuation_and_noise_and_spells_out_abbreviations(db: None) -> None:
    assert normalise("CT A/P w/ (Adult)") == "a p"
    assert normalise("Abdomen^AbdPel") == "abdomen abdomen pelvis"
    assert normalise("ABD/PEL W") == "abdomen pelvis"
    assert similarity("Thorax", exam("CT", "Chest")) == 100
