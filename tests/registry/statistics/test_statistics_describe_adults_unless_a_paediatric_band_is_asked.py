"""The population of the statistics (registry.statistics.filters): the age band asked for; else a paediatric
body CT weight band asked for (EC RP 185: < 5, 5-< 15, 15-< 30, 30-< 50, 50-< 80 kg); else adults, 16 years
and over, with the studies that state no age counted as adult."""

from __future__ import annotations

import pytest

from registry.models import Study
from registry.statistics.filters import DoseFilters, in_population, population_band
from tests.registry.statistics.conftest import SiteFactory, StudyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def patients() -> None:
    site = SiteFactory.create(code="NORTH")
    for name, age, weight in [
        ("adult 40 y", 40.0, 80.0),
        ("adult 16 y", 16.0, 60.0),
        ("no age", None, 75.0),
        ("child 15.99 y", 15.99, 49.0),
        ("infant", 0.1, 4.99),
        ("toddler", 2.0, 5.0),
        ("child 10 y", 10.0, 15.0),
    ]:
        StudyFactory.create(site=site, description=name, patient_age_years=age, patient_weight_kg=weight)


def _selected(filters: DoseFilters) -> list[str]:
    return sorted(in_population(filters).apply(Study.objects.all()).values_list("description", flat=True))


def test_without_a_band_the_statistics_describe_adults_and_studies_without_an_age(patients: None) -> None:
    assert _selected(DoseFilters()) == ["adult 16 y", "adult 40 y", "no age"]
    assert population_band(DoseFilters()).key == "adult"


def test_an_age_band_is_the_population(patients: None) -> None:
    assert _selected(DoseFilters(age_band="1-6y")) == ["toddler"]
    assert _selected(DoseFilters(age_band="11-16y")) == ["child 15.99 y"]


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("0-5kg", ["infant"]),
        ("5-15kg", ["toddler"]),
        ("15-30kg", ["child 10 y"]),
        ("30-50kg", ["child 15.99 y"]),
    ],
)
def test_a_paediatric_weight_band_is_the_population_whatever_the_age(
    patients: None, band: str, expected: list[str]
) -> None:
    # Half-open: 4.99 kg is under 5, 5 kg opens 5-< 15, 15 kg opens 15-< 30.
    assert _selected(DoseFilters(weight_band=band)) == expected
    assert population_band(DoseFilters(weight_band=band)).key == band


def test_the_adult_standard_weight_keeps_the_adult_population(patients: None) -> None:
    # 50-90 kg inclusive, and adults: the 49 kg child and the 4.99 kg infant are out.
    assert _selected(DoseFilters(weight_band="adult_standard")) == ["adult 16 y", "adult 40 y", "no age"]
