"""A published level fits a population only when the population lies inside the level's patient group
(registry.statistics.patient_groups): adult for adults, a paediatric band for itself or a band inside it,
never a band that merely overlaps. The groups are those of ../shared/reference-levels/drl.csv."""

from __future__ import annotations

import pytest

from registry.statistics.filters import AGE_BANDS, WEIGHT_BANDS
from registry.statistics.patient_groups import Group, fits, patient_group


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("adult", Group("age", 16.0, None)),
        ("paediatric 0-<3 months", Group("age", 0.0, 0.25)),
        ("paediatric 3 months-<1 year", Group("age", 0.25, 1.0)),
        ("paediatric 1-<6 years", Group("age", 1.0, 6.0)),
        ("paediatric >=6 years", Group("age", 6.0, 16.0)),  # paediatric ends at 16 (EC RP 185)
        ("paediatric <5 kg", Group("weight", 0.0, 5.0)),
        ("Paediatric 15-<30 kg", Group("weight", 15.0, 30.0)),
        ("children", None),  # unreadable: never offered
        ("paediatric", None),
    ],
)
def test_each_patient_group_reads_as_a_range(text: str, group: Group | None) -> None:
    assert patient_group(text) == group


@pytest.mark.parametrize(
    ("level", "band", "offered"),
    [
        ("adult", "adult", True),
        ("paediatric 0-<3 months", "adult", False),  # the EC head DRL never meets an adult head CT
        ("paediatric 0-<3 months", "0-3m", True),
        ("paediatric 1-<6 years", "1-6y", True),
        ("paediatric >=6 years", "6-11y", True),  # inside the level's group
        ("paediatric >=6 years", "11-16y", True),
        ("paediatric 3 months-<1 year", "1-6y", False),
        ("paediatric 1-<6 years", "3m-1y", False),
        ("adult", "11-16y", False),
        ("paediatric 1-<6 years", "15-30kg", False),  # age levels never meet a weight population
        ("paediatric 15-<30 kg", "15-30kg", True),
        ("paediatric 5-<15 kg", "15-30kg", False),
    ],
)
def test_a_level_is_offered_only_when_the_population_lies_inside_its_group(
    level: str, band: str, offered: bool
) -> None:
    population = AGE_BANDS.get(band) or WEIGHT_BANDS[band]
    assert fits(level, population) is offered
