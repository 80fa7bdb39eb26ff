"""Query parameters of the studies list: site, modality, date range, device and description."""

from __future__ import annotations

import django_filters

from registry.models import DoseReport, Modality, Study
from registry.models.studies import StudyQuerySet


class StudyFilter(django_filters.FilterSet):
    site = django_filters.CharFilter(field_name="site__code", help_text="Site code, e.g. NORTH-01.")
    modality = django_filters.ChoiceFilter(
        choices=Modality.choices,
        method="filter_modality",
        help_text="Any modality reported for the study (a PET/CT study matches CT and NM).",
    )
    date_from = django_filters.DateFilter(field_name="study_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="study_date", lookup_expr="lte")
    device = django_filters.NumberFilter(method="filter_device", help_text="Device id of any of its reports.")
    description = django_filters.CharFilter(lookup_expr="icontains", help_text="Study description contains.")

    class Meta:
        model = Study
        fields = ["site", "modality", "date_from", "date_to", "device", "description"]

    def filter_modality(self, queryset: StudyQuerySet, name: str, value: str) -> StudyQuerySet:
        # `modalities` is a comma-separated list of two-letter codes, so containment cannot mismatch.
        return queryset.filter(modalities__contains=value)

    def filter_device(self, queryset: StudyQuerySet, name: str, value: int) -> StudyQuerySet:
        """A subquery rather than a join, so a study with several reports is listed once."""
        return queryset.filter(pk__in=DoseReport.objects.filter(device_id=value).values("study_id"))
