"""The dashboard filters as a selection of studies: one rule for the statistics, charts, exports and the API.

`DoseFilters` is a validated selection (a frozen dataclass) and `apply` is the one place that says which
studies each filter selects. Query parameters are parsed into it by registry.dashboards.filters (a
django-filter FilterSet, whose form validates), so this module needs no form or HTTP code.

Age bands (documented in docs/analytics.md) follow the European paediatric DRL guidelines (EC Radiation
Protection 185, 2018) and the PiDRL survey: 0-<3 months, 3 months-<1 year, 1-<6, 6-<11, 11-<16 years; the
`adult` band is 16 years and over, so that the bands cover every age without a gap. Bands are half-open
[lower, upper) in `Study.patient_age_years` (3 months = 0.25 years).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from django.db.models import Q

from registry.models import DoseReport
from registry.models.studies import StudyQuerySet


@dataclass(frozen=True)
class Band:
    """A range [lower, upper) of a patient quantity (age in years, weight in kg); `upper` None: no limit.

    `upper_inclusive` closes the range ("50-90 kg" as DRL surveys state it); `with_unknown` lets studies
    without the quantity in, which only the adult age band does (a study states no age mostly for adults).
    """

    key: str
    label: str
    lower: float
    upper: float | None
    upper_inclusive: bool = False
    with_unknown: bool = False

    def condition(self, field: str) -> Q:
        condition = Q(**{f"{field}__gte": self.lower})
        if self.upper is not None:
            condition &= Q(**{f"{field}__{'lte' if self.upper_inclusive else 'lt'}": self.upper})
        return condition | Q(**{f"{field}__isnull": True}) if self.with_unknown else condition


ADULT = "adult"
AGE_BANDS: dict[str, Band] = {
    band.key: band
    for band in (
        Band("0-3m", "0 to < 3 months", 0.0, 0.25),
        Band("3m-1y", "3 months to < 1 year", 0.25, 1.0),
        Band("1-6y", "1 to < 6 years", 1.0, 6.0),
        Band("6-11y", "6 to < 11 years", 6.0, 11.0),
        Band("11-16y", "11 to < 16 years", 11.0, 16.0),
        Band(ADULT, "16 years and over (or no age stated)", 16.0, None, with_unknown=True),
    )
}

# Weight: the adult standard patient of DRL surveys (inclusive, "50-90 kg"), and the paediatric body CT
# bands of EC RP 185 / ICRP 135 (half-open), which select a population of their own (`population_band`).
ADULT_STANDARD = "adult_standard"
WEIGHT_BANDS: dict[str, Band] = {
    band.key: band
    for band in (
        Band(ADULT_STANDARD, "Adult 50 to 90 kg", 50.0, 90.0, upper_inclusive=True),
        Band("0-5kg", "Child < 5 kg", 0.0, 5.0),
        Band("5-15kg", "Child 5 to < 15 kg", 5.0, 15.0),
        Band("15-30kg", "Child 15 to < 30 kg", 15.0, 30.0),
        Band("30-50kg", "Child 30 to < 50 kg", 30.0, 50.0),
        Band("50-80kg", "Child 50 to < 80 kg", 50.0, 80.0),
    )
}
PAEDIATRIC_WEIGHT_BANDS = frozenset(WEIGHT_BANDS) - {ADULT_STANDARD}


@dataclass(frozen=True)
class DoseFilters:
    """A validated selection of studies; every field optional, all combined with AND."""

    date_from: date | None = None
    date_to: date | None = None
    modality: str | None = None
    site: str | None = None
    device: int | None = None
    exam: int | None = None
    weight_band: str | None = None
    weight_min: float | None = None
    weight_max: float | None = None
    age_band: str | None = None
    sex: str | None = None

    @classmethod
    def from_cleaned(cls, data: dict[str, Any]) -> DoseFilters:
        """The selection from a form's cleaned data: empty values ("" or None) are no filter."""
        # 0 kg is a value, so test for emptiness, not truth.
        given = {name: value for name, value in data.items() if value not in ("", None)}
        return cls(**{field.name: given.get(field.name) for field in fields(cls)})

    def as_params(self) -> dict[str, str]:
        """The query parameters that select the same studies (for links and stored export jobs)."""
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        return {
            name: value.isoformat() if isinstance(value, date) else str(value)
            for name, value in values.items()
            if value is not None
        }

    def condition(self) -> Q:
        """The selection as one condition on Study."""
        condition = Q()
        for name, lookup in _LOOKUPS.items():
            if (value := getattr(self, name)) is not None:
                condition &= Q(**{lookup: value})
        if self.device is not None:
            # A subquery rather than a join, so a study with several reports is selected once.
            condition &= Q(pk__in=DoseReport.objects.filter(device_id=self.device).values("study_id"))
        if self.weight_band is not None:
            condition &= WEIGHT_BANDS[self.weight_band].condition("patient_weight_kg")
        if self.age_band is not None:
            condition &= AGE_BANDS[self.age_band].condition("patient_age_years")
        return condition

    def apply(self, studies: StudyQuerySet) -> StudyQuerySet:
        """`studies` narrowed to this selection (scope them to the caller first)."""
        return studies.filter(self.condition())


# The filters that are one lookup each. `modalities` is a comma-separated list of two-letter codes, so
# containment cannot mismatch (a PET/CT study matches CT and NM).
_LOOKUPS = {
    "date_from": "study_date__gte",
    "date_to": "study_date__lte",
    "modality": "modalities__contains",
    "site": "site__code",
    "exam": "standard_exam_id",
    "weight_min": "patient_weight_kg__gte",
    "weight_max": "patient_weight_kg__lte",
    "sex": "patient_sex",
}


def population_band(filters: DoseFilters) -> Band:
    """The patient population statistics describe: the age band asked for; else a paediatric weight band
    asked for (body CT, EC RP 185); else adults (16 and over, and studies that state no age)."""
    if filters.age_band is not None:
        return AGE_BANDS[filters.age_band]
    if filters.weight_band in PAEDIATRIC_WEIGHT_BANDS:
        return WEIGHT_BANDS[filters.weight_band]
    return AGE_BANDS[ADULT]


def population_condition(band: Band) -> Q:
    """The condition on Study that selects a population band (an age band, or a weight band)."""
    return band.condition("patient_weight_kg" if band.key in WEIGHT_BANDS else "patient_age_years")


def in_population(filters: DoseFilters) -> DoseFilters:
    """`filters` narrowed to their population: without an age band or a paediatric weight band, adults.

    ICRP 135 compares like with like: a DRL is set for a patient group, so the statistics compared with it
    never mix children into an adult median. Lists and exports keep every study; statistics call this.
    """
    if filters.age_band is None and filters.weight_band not in PAEDIATRIC_WEIGHT_BANDS:
        return replace(filters, age_band=ADULT)
    return filters


def registry_scope(filters: DoseFilters) -> DoseFilters:
    """The selection the registry's own levels come from: the same, over every site and device.

    A registry DRL compares a site with all its peers, so the caller's choice of site or device (and the
    exam, which the statistics apply themselves) is dropped; the other filters still apply.
    """
    return replace(filters, site=None, device=None, exam=None)
