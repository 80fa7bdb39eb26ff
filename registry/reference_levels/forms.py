"""Forms of the reference-level pages; values are typed in the metric's display unit, stored canonical."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from registry.models import LevelStatus, Modality, ReferenceLevel, Site, StandardExam
from registry.reference_levels.tables import display_number
from registry.statistics.metrics import METRICS, Metric

STATISTICS = [("P75", "P75 (DRL)"), ("P50", "P50 (typical value)")]


def metric_choice(metric: Metric) -> tuple[str, str]:
    return metric.key, f"{metric.label} ({metric.display_unit})"


class FilterForm(forms.Form):
    """The table's filters; any of them may be empty."""

    modality = forms.ChoiceField(required=False, choices=[("", "All modalities"), *Modality.choices])
    exam = forms.ModelChoiceField(
        queryset=StandardExam.objects.none(), required=False, empty_label="All exams"
    )
    issuer = forms.ChoiceField(required=False)

    def __init__(self, data: Any, *, levels: QuerySet[ReferenceLevel]) -> None:
        """`levels` are the current levels the user sees: the exam and issuer choices come from them."""
        super().__init__(data)
        exams = StandardExam.objects.filter(pk__in=levels.filter(exam__isnull=False).values("exam"))
        self.fields["exam"].queryset = exams  # type: ignore[attr-defined]
        issuers = levels.order_by("issuer").values_list("issuer", flat=True).distinct()
        self.fields["issuer"].choices = [("", "All issuers"), *((issuer, issuer) for issuer in issuers)]  # type: ignore[attr-defined]

    def apply(self, levels: QuerySet[ReferenceLevel]) -> QuerySet[ReferenceLevel]:
        if not self.is_valid():
            return levels
        wanted = {
            key: self.cleaned_data[key] for key in ("modality", "exam", "issuer") if self.cleaned_data[key]
        }
        return levels.filter(**wanted)


class LocalLevelForm(forms.Form):
    """A site's local DRL: which site, exam and metric, and the value in the metric's display unit."""

    site = forms.ModelChoiceField(queryset=Site.objects.none(), empty_label=None, to_field_name="code")
    exam = forms.ModelChoiceField(queryset=StandardExam.objects.filter(active=True), label="Standard exam")
    metric = forms.ChoiceField(choices=[metric_choice(metric) for metric in METRICS.values()])
    value = forms.FloatField(min_value=0, help_text="In the unit the metric names.")
    statistic = forms.ChoiceField(choices=STATISTICS, initial="P75")
    note = forms.CharField(required=False, max_length=300, widget=forms.TextInput)

    def __init__(self, sites: QuerySet[Site], *args: Any, **kwargs: Any) -> None:
        """`sites` are those the user may add local levels for."""
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        exam, key = data.get("exam"), data.get("metric")
        if exam is not None and key in METRICS and exam.modality not in METRICS[key].modalities:
            self.add_error("metric", f"{METRICS[key].label} does not apply to {exam.get_modality_display()}.")
        if data.get("value") == 0:
            self.add_error("value", "A reference level is a positive number.")
        return data

    def canonical_value(self) -> float:
        return float(self.cleaned_data["value"]) / METRICS[self.cleaned_data["metric"]].display_factor


class ReviseForm(forms.Form):
    """A new version of one level: its value (display unit), its status (published levels), its note."""

    value = forms.FloatField(min_value=0)
    status = forms.ChoiceField(choices=[(s.value, s.label) for s in LevelStatus if s != LevelStatus.LOCAL])
    note = forms.CharField(required=False, max_length=300, widget=forms.TextInput)

    def __init__(self, level: ReferenceLevel, data: Any = None) -> None:
        self.level = level
        self.metric = METRICS[level.metric]
        initial = {
            "value": display_number(level.value * self.metric.display_factor),
            "status": level.status,
            "note": level.note,
        }
        super().__init__(data, initial=initial)
        self.fields["value"].label = f"Value ({self.metric.display_unit})"
        if level.site_id is not None:
            del self.fields["status"]  # a local level stays local

    def clean_value(self) -> float:
        value = float(self.cleaned_data["value"])
        if value == 0:
            raise forms.ValidationError("A reference level is a positive number.")
        return value

    def changes(self) -> dict[str, Any]:
        """The keyword arguments for reference_level_revise: only what the form changed."""
        value = self.cleaned_data["value"] / self.metric.display_factor
        changes: dict[str, Any] = {"note": self.cleaned_data["note"]}
        if not _same(value, self.level.value):
            changes["value"] = value
        if "status" in self.cleaned_data:
            changes["status"] = self.cleaned_data["status"]
        return changes


def _same(a: float, b: float) -> bool:
    """Display round trips (x 1e4, / 1e4) must not count as a change."""
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))
