"""The dashboard filters as query parameters: one FilterSet for the statistics API, the studies API, charts
and exports.

`StudyStatsFilter` is the django-filter FilterSet: it declares and validates the parameters (DRF views use
it directly, and the OpenAPI schema describes them) and filters through registry.statistics.filters, the one
rule of what each filter selects. `filters_from_params` turns parameters into that rule's `DoseFilters`, so
code outside DRF (charts, exports, commands) parses and filters the same way.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from registry.models import Modality, Sex, Study
from registry.models.studies import StudyQuerySet
from registry.statistics.filters import AGE_BANDS, WEIGHT_BANDS, DoseFilters

DOSE_FILTER_NAMES = frozenset(field.name for field in fields(DoseFilters))


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
            self.add_error("date_to", "The end of the period is before its start.")
        low, high = data.get("weight_min"), data.get("weight_max")
        if low is not None and high is not None and low > high:
            self.add_error("weight_max", "The highest weight is below the lowest.")
        if data.get("weight_band") and (low is not None or high is not None):
            self.add_error("weight_band", "Choose a weight band or a weight range, not both.")
        return data


class StudyStatsFilter(django_filters.FilterSet):
    """Which studies a statistic, chart or list covers; every parameter optional, all combined with AND."""

    date_from = django_filters.DateFilter(
        field_name="study_date",
        lookup_expr="gte",
        label="Study date from",
        help_text="Study date from (inclusive, YYYY-MM-DD).",
    )
    date_to = django_filters.DateFilter(
        field_name="study_date",
        lookup_expr="lte",
        label="Study date to",
        help_text="Study date to (inclusive, YYYY-MM-DD).",
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
        choices=[(band.key, band.label) for band in WEIGHT_BANDS.values()],
        method="filter_weight_band",
        label="Weight band",  # a filter by method on no model field has no label of its own
        help_text="A weight band: adult_standard = 50-90 kg inclusive; 0-5kg, 5-15kg, 15-30kg, 30-50kg and "
        "50-80kg are the paediatric body CT bands (EC RP 185), lower limit inclusive.",
    )
    weight_min = KilogramFilter(
        field_name="patient_weight_kg",
        lookup_expr="gte",
        label="Weight at least (kg)",
        help_text="Patient weight at least (kg).",
    )
    weight_max = KilogramFilter(
        field_name="patient_weight_kg",
        lookup_expr="lte",
        label="Weight at most (kg)",
        help_text="Patient weight at most (kg).",
    )
    age_band = django_filters.ChoiceFilter(
        choices=[(band.key, band.label) for band in AGE_BANDS.values()],
        method="filter_age_band",
        label="Age band",
        help_text="Age band (EC RP 185): 0-3m, 3m-1y, 1-6y, 6-11y, 11-16y, or adult (16 and over, or no age "
        "stated). Statistics default to adult unless a paediatric weight band is given.",
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

    def filter_queryset(self, queryset: QuerySet[Any]) -> StudyQuerySet:
        """Filter by the one rule (registry.statistics.filters), not by each declared filter's lookup.

        The declarations above (field names, lookups, the methods below) describe each parameter's type for
        the form and the OpenAPI schema; what a value selects is decided by `DoseFilters.apply` alone.
        """
        data = self.form.cleaned_data
        selected = DoseFilters.from_cleaned(data).apply(cast(StudyQuerySet, queryset))
        for name, value in data.items():  # a subclass's own parameters, e.g. the studies list's description
            if name not in DOSE_FILTER_NAMES:
                selected = cast(StudyQuerySet, self.filters[name].filter(selected, value))
        return selected

    # The schema reads these parameters' types from the methods' `value` hints.
    def filter_modality(self, queryset: StudyQuerySet, name: str, value: str) -> StudyQuerySet:
        return DoseFilters(modality=value).apply(queryset)

    def filter_device(self, queryset: StudyQuerySet, name: str, value: int) -> StudyQuerySet:
        return DoseFilters(device=value).apply(queryset)

    def filter_weight_band(self, queryset: StudyQuerySet, name: str, value: str) -> StudyQuerySet:
        return DoseFilters(weight_band=value).apply(queryset)

    def filter_age_band(self, queryset: StudyQuerySet, name: str, value: str) -> StudyQuerySet:
        return DoseFilters(age_band=value).apply(queryset)


# What each parameter is called where people read it (forms, pages, the 400 of an export link); the API
# keeps the parameter names, which its clients send.
PARAMETER_LABELS = {
    "date_from": "From",
    "date_to": "To",
    "modality": "Modality",
    "site": "Site",
    "device": "Device",
    "exam": "Standard exam",
    "weight_band": "Weight band",
    "weight_min": "Weight at least (kg)",
    "weight_max": "Weight at most (kg)",
    "age_band": "Age band",
    "sex": "Sex",
    "metric": "Metric",
    "group_by": "Group by",
    "published": "Published level",
}


class InvalidFiltersError(ValueError):
    """Query parameters that do not parse; `errors` maps each parameter to its messages (for a 400).

    Its text names each field by its label ("Weight at least (kg): Enter a number."), as pages show it;
    `errors` keeps the parameter names for the API.
    """

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(
            "; ".join(f"{label}: {' '.join(messages)}" for label, messages in labelled(errors).items())
        )
        self.errors = errors

    @property
    def labelled(self) -> dict[str, list[str]]:
        return labelled(self.errors)


def labelled(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The same errors keyed by the fields' labels (an unknown parameter keeps its name)."""
    return {PARAMETER_LABELS.get(name, name): messages for name, messages in errors.items()}


def filters_from_params(params: QueryDict | dict[str, Any]) -> DoseFilters:
    """Parse query parameters (unknown ones ignored); InvalidFiltersError with every message."""
    filterset = StudyStatsFilter(data=params, queryset=Study.objects.none())
    if not filterset.is_valid():
        errors = filterset.form.errors
        raise InvalidFiltersError({key: [str(message) for message in errors[key]] for key in errors})
    return DoseFilters.from_cleaned(filterset.form.cleaned_data)
