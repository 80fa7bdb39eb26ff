"""Query parameters of the studies list: the dashboard filters (statistics.filters) and a description."""

from __future__ import annotations

import django_filters

from registry.dashboards.filters import StudyStatsFilter


class StudyFilter(StudyStatsFilter):
    """Every dashboard filter (date, modality, site, device, exam, weight and age bands, sex), plus text."""

    description = django_filters.CharFilter(lookup_expr="icontains", help_text="Study description contains.")

    class Meta(StudyStatsFilter.Meta):
        fields = [*StudyStatsFilter.Meta.fields, "description"]
