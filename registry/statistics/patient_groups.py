"""Which published levels fit a population: a level's patient group read as a range of age or weight.

ICRP 135 and EC RP 185 set a DRL for one patient group, so a level is offered only when the population of
the statistics lies inside its group: adult levels for adults, a paediatric level for its own age or
weight band or a band inside it ("paediatric >=6 years" holds 6-< 11 and 11-< 16), never a band that
only overlaps (an adult head CT is never compared with the 0-< 3 months head DRL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from registry.statistics.filters import WEIGHT_BANDS, Band

Quantity = Literal["age", "weight"]
ADULT_AGE = 16.0  # EC RP 185: paediatric is under 16 years
_UNIT = r"months?|years?|kg"
# "1-<6 years", "3 months-<1 year", "<5 kg", ">=6 years" (after the word paediatric).
_RANGE = re.compile(
    rf"^(?:(?P<low>[\d.]+)\s*(?P<low_unit>{_UNIT})?\s*-\s*<\s*|(?P<lt><)\s*|(?P<ge>>=)\s*)"
    rf"(?P<value>[\d.]+)\s*(?P<unit>{_UNIT})$"
)


@dataclass(frozen=True)
class Group:
    """A half-open range [lower, upper) of age in years or weight in kg; upper None: no limit."""

    quantity: Quantity
    lower: float
    upper: float | None

    def holds(self, other: Group) -> bool:
        """Whether `other` lies inside this group (same quantity, its range within this one)."""
        if other.quantity != self.quantity or other.lower < self.lower:
            return False
        if self.upper is None:
            return True
        return other.upper is not None and other.upper <= self.upper


def _in_units(value: str, unit: str) -> float:
    """Age in years (months / 12) or weight in kg."""
    return float(value) / 12 if unit.startswith("month") else float(value)


def patient_group(text: str) -> Group | None:
    """A level's `patient_group` ("adult", "paediatric 3 months-<1 year", "paediatric 5-<15 kg", ...) as a
    range; None when it cannot be read, so an unreadable group is never offered for comparison."""
    words = " ".join(text.lower().replace("≥", ">=").split())
    if words in ("adult", "adults"):
        return Group("age", ADULT_AGE, None)
    if not words.startswith(("paediatric ", "pediatric ")):
        return None
    match = _RANGE.match(words.split(" ", 1)[1])
    if match is None:
        return None
    unit = match["unit"]
    quantity: Quantity = "weight" if unit == "kg" else "age"
    upper = _in_units(match["value"], unit)
    if match["ge"]:  # ">=6 years": from there to the end of childhood
        return Group(quantity, upper, ADULT_AGE if quantity == "age" else None)
    lower = 0.0 if match["lt"] else _in_units(match["low"], match["low_unit"] or unit)
    return Group(quantity, lower, upper)


def band_group(band: Band) -> Group:
    """A population band of the filters as a group (adults: 16 years and over)."""
    quantity: Quantity = "weight" if band.key in WEIGHT_BANDS else "age"
    return Group(quantity, band.lower, band.upper)


def fits(level_group: str, population: Band) -> bool:
    """Whether a level set for `level_group` may be compared with statistics of `population`."""
    group = patient_group(level_group)
    return group is not None and group.holds(band_group(population))
