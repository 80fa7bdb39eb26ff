"""The Reports page's form: which site(s), which period, which part of the work (all of it by default)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from registry.models import Site, StandardExam
from registry.models.studies import Modality


class ReportForm(forms.Form):
    """Field names are the export filters' own query parameters, so a valid form is the download's query."""

    site = forms.ChoiceField(label="Site", required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    modality = forms.ChoiceField(label="Modality", required=False)
    exam = forms.ModelChoiceField(
        label="Standard exam", required=False, queryset=StandardExam.objects.none(), empty_label="every exam"
    )

    def __init__(self, sites: QuerySet[Site], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field: Any = self.fields["site"]
        site_field.choices = [("", "every site I export for")] + [
            (site.code, f"{site.code} · {site.name}") for site in sites
        ]
        modality_field: Any = self.fields["modality"]
        modality_field.choices = [("", "every modality"), *Modality.choices]
        exam_field: Any = self.fields["exam"]
        exam_field.queryset = StandardExam.objects.filter(active=True).order_by("modality", "name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the period is before its start.")
        exam, modality = cleaned.get("exam"), cleaned.get("modality")
        if exam is not None and modality and exam.modality != modality:
            self.add_error("exam", f"{exam.name} is a {exam.modality} exam, not {modality}.")
        return cleaned

    def query(self) -> dict[str, str]:
        """The export filters of a valid form, as the export URLs take them (empty ones left out)."""
        values = {
            "site": self.cleaned_data.get("site") or "",
            "date_from": _iso(self.cleaned_data.get("date_from")),
            "date_to": _iso(self.cleaned_data.get("date_to")),
            "modality": self.cleaned_data.get("modality") or "",
            "exam": str(self.cleaned_data["exam"].pk) if self.cleaned_data.get("exam") else "",
        }
        return {name: value for name, value in values.items() if value}

    def scope(self) -> list[tuple[str, str]]:
        """What the files will hold, in words, shown before anything is downloaded."""
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        period = (
            f"{_iso(start) or 'the first study'} to {_iso(end) or 'the last study'}"
            if start or end
            else "all dates"
        )
        modality = data.get("modality")
        return [
            ("Site", dict(self.fields["site"].choices).get(data.get("site") or "", "")),  # type: ignore[attr-defined]
            ("Period", period),
            ("Modality", Modality(modality).label if modality else "every modality"),
            ("Standard exam", data["exam"].name if data.get("exam") else "every exam"),
        ]


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""
