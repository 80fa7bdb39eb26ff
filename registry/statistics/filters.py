"""The dashboard filters, one family for the statistics API, the studies API, charts and exports.

`StudyStatsFilter` is the django-filter FilterSet (DRF views use it directly, and its form validates);
`DoseFilters` is the same selection as a plain frozen dataclass, parsed from query parameters through that
FilterSet's form, so code outside DRF (charts, exports, commands) filters studies the same way.

Age bands (documented in docs/analytics.md) follow the European paediatric DRL guidelines (EC Radiation
Protection 185, 2018) and the PiDRL survey: 0-<3 months, 3 months-<1 year, 1-<6, 6-<11, 11-<16 years; the
`adult` band is 16 years and over, so that the bands cover every age without a gap. Bands are half-open
[lower, upper) in `Study.patient_age_years` (3 months = 0.25 years).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict

from registry.models import DoseReport, Modality, Sex, Study
from registry.models.studies import StudyQuerySet


@dataclass(frozen=True)
class Band:
    """A half-open range [lower, upper) of a patient quantity; `upper` None means no upper limit."""

    key: str
    label: str
    lower: float
    upper: float | None

    def condition(self, field: str) -> Q:
        condition = Q(**{f"{field}__gte": self.lower})
        return condition if self.upper is None else condition & Q(**{f"{field}__lt": self.upper})


AGE_BANDS: dict[str, Band] = {
    band.key: band
    for band in (
        Band("0-3m", "0 to < 3 months", 0.0, 0.25),
        Band("3m-1y", "3 months to < 1 year", 0.25, 1.0),
        Band("1-6y", "1 to < 6 years", 1.0, 6.0),
        Band("6-11y", "6 to < 11 years", 6.0, 11.0),
        Band("11-16y", "11 to < 16 years", 11.0, 16.0),
        Band("adult", "16 years and over", 16.0, None),
    )
}

# Named weight presets (inclusive limits, as DRL surveys state "50-90 kg"): one click on the dashboard.
WEIGHT_BANDS: dict[str, tuple[float, float]] = {"adult_standard": (50.0, 90.0)}


class IdFilter(django_filters.Filter):
    """A primary key: an integer, never a decimal, and no query to check it exists (the view does that)."""

    field_class = forms.IntegerField


class KilogramFilter(django_filters.Filter):
    """A weight in kg, as a float like the column (NumberFilter would make it a Decimal)."""

    field_class = forms.FloatField


class DoseFilterForm(forms.Form):
    """Checks across fields, so a reversed range is a 400 with a message rather than an empty answer."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "date_to is before date_from.")
        low, high = data.get("weight_min"), data.get("weight_max")
        if low is not None and high is not None and low > high:
            self.add_error("weight_max", "weight_max is below weight_min.")
        if data.get("weight_band") and (low is not None or high is not None):
            self.add_error("weight_band", "Give weight_band or weight_min/weight_max, not both.")
        return data


class StudyStatsFilter(django_filters.FilterSet):
    """Which studies a statistic, chart or list covers; every parameter optional, all combined with AND."""

    date_from = django_filters.DateFilter(
        field_name="study_date", lookup_expr="gte", help_text="Study date from (inclusive, YYYY-MM-DD)."
    )
    date_to = django_filters.DateFilter(
        field_name="study_date", lookup_expr="lte", help_text="Study date to (inclusive, YYYY-MM-DD)."
    )
    modality = django_filters.ChoiceFilter(
        choices=Modality.choices,
        method="filter_modality",
        help_text="Any modality reported for the study (a PET/CT study matches CT and NM).",
    )
    site = django_filters.CharFilter(field_name="site__code", help_text="Site code, e.g. NORTH-01.")
    device = IdFilter(method="filter_device", help_text="Device id of any of the study's reports.")
    exam = IdFilter(field_name="standard_exam_id", help_text="Standard exam id.")
    weight_band = django_filters.ChoiceFilter(
        choices=[(key, f"{key} ({low:g}-{high:g} kg)") for key, (low, high) in WEIGHT_BANDS.items()],
        method="filter_weight_band",
        help_text="A named weight preset: adult_standard = 50-90 kg inclusive.",
    )
    weight_min = KilogramFilter(
        field_name="patient_weight_kg", lookup_expr="gte", help_text="Patient weight at least (kg)."
    )
    weight_max = KilogramFilter(
        field_name="patient_weight_kg", lookup_expr="lte", help_text="Patient weight at most (kg)."
    )
    age_band = django_filters.ChoiceFilter(
        choices=[(band.key, band.label) for band in AGE_BANDS.values()],
        method="filter_age_band",
        help_text="Age band (EC RP 185): 0-3m, 3m-1y, 1-6y, 6-11y, 11-16y, or adult (16 and over).",
    )
    sex = django_filters.ChoiceFilter(field_name="patient_sex", choices=Sex.choices, help_text="Patient sex.")

    class Meta:
        model = Study
        form = DoseFilterForm
        fields = [
            "date_from",
            "date_to",
            "modality",
            "site",
            "device",
            "exam",
            "weight_band",
            "weight_min",
            "weight_max",
            "age_band",
            "sex",
        ]

    def filter_modality(self, queryset: StudyQuerySet, name: str, value: str) -> StudyQuerySet:
        # `modalities` is a comma-separated list of two-letter codes, so containment cannot mismatch.
        return queryset.filter(modalities__contains=value)

    def filter_device(self, queryset: StudyQuerySet, name: str, value: int) -> StudyQuerySet:
        """A subquery rather than a join, so a study with several reports is selected once."""
        return queryset.filter(pk__in=DoseReport.objects.filter(device_id=value).values("study_id"))

    def filter_weight_band(self, queryset: StudyQuerySet, name: str, value: str) -> StudyQuerySet:
        low, high = WEIGHT_BANDS[value]
        return queryset.filter(patient_weight_kg__gte=low, patient_weight_kg__lte=high)

    def filter_age_band(self, queryset: StudyQuerySet, name: str, value: str) -> StudyQuerySet:
        return queryset.filter(AGE_BANDS[value].condition("patient_age_years"))


class InvalidFiltersError(ValueError):
    """Query parameters that do not parse; `errors` maps each parameter to its messages (for a 400)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{key}: {' '.join(messages)}" for key, messages in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class DoseFilters:
    """A validated selection of studies, usable without DRF; `apply` filters through StudyStatsFilter."""

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
    def from_params(cls, params: QueryDict | dict[str, Any]) -> DoseFilters:
        """Parse query parameters (unknown ones ignored); InvalidFiltersError with every message."""
        filterset = StudyStatsFilter(data=params, queryset=Study.objects.none())
        if not filterset.is_valid():
            errors = filterset.form.errors
            raise InvalidFiltersError({key: [str(message) for message in errors[key]] for key in errors})
        # Empty parameters clean to "" (choices) or None; 0 kg is a value, so test for emptiness, not truth.
        given = {
            name: value for name, value in filterset.form.cleaned_data.items() if value not in ("", None)
        }
        return cls(**{field.name: given.get(field.name) for field in fields(cls)})

    def as_params(self) -> dict[str, str]:
        """The query parameters that select the same studies (for links, and for `apply`)."""
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        return {
            name: value.isoformat() if isinstance(value, date) else str(value)
            for name, value in values.items()
            if value is not None
        }

    def apply(self, studies: StudyQuerySet) -> StudyQuerySet:
        """`studies` narrowed to this selection (scope them to the caller first)."""
        return cast(StudyQuerySet, StudyStatsFilter(data=self.as_params(), queryset=studies).qs)


def registry_scope(filters: DoseFilters) -> DoseFilters:
    """The selection the registry's own levels come from: the same, over every site and device.

    A registry DRL compares a site with all its peers, so the caller's choice of site or device (and the
    exam, which the statistics apply themselves) is dropped; the other filters still apply.
    """
    return replace(filters, site=None, device=None, exam=None)
