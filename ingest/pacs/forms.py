"""Forms of the PACS pages: a node's settings, and a manual query's window and modality."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import QuerySet

from ingest.pacs.models import PacsNode
from ingest.pacs.nodes import delivery_conflict
from registry.models import Site

# A CS value (PS3.5 6.2): upper-case letters, digits, space and underscore, at most 16 characters.
MODALITY = re.compile(r"[A-Z0-9_]{1,16}")
# An AE title (PS3.5 6.2): up to 16 characters of the default repertoire, without backslash or controls.
AE_TITLE = re.compile(r"[ -\[\]-~]{1,16}")
MANUAL_MODALITIES = ("SR", "CT", "DX", "CR", "MG", "RF", "XA", "NM", "PT")
LONGEST_PREVIEW = dt.timedelta(days=366)


class ListField(forms.CharField):
    """A list of short texts typed comma-separated (`split` also splits on spaces), kept as a JSON list."""

    def __init__(self, *, split: str = r",", upper: bool = False, **kwargs: Any) -> None:
        self.split, self.upper = re.compile(split), upper
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        items = [item.strip() for item in self.split.split(text) if item.strip()]
        return [item.upper() for item in items] if self.upper else items


class NodeForm(forms.ModelForm):
    modalities = ListField(
        split=r"[,\s]+",
        upper=True,
        help_text="Modalities in Study to search: “SR” finds every study holding a structured report.",
    )
    station_names = ListField(
        required=False, help_text="Comma-separated; only series from these stations. Empty: every station."
    )

    class Meta:
        model = PacsNode
        fields = [
            "site",
            "name",
            "ae_title",
            "host",
            "port",
            "retrieve_method",
            "modalities",
            "station_names",
            "include_images",
            "lookback_days",
            "pull_from",
            "enabled",
        ]
        widgets = {"pull_from": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, sites: QuerySet[Site], *args: Any, **kwargs: Any) -> None:
        """`sites` are those the user administers; the choice is limited to them."""
        super().__init__(*args, **kwargs)
        site = self.fields["site"]
        site.queryset, site.empty_label, site.to_field_name = sites, None, "code"  # type: ignore[attr-defined]

    def clean_ae_title(self) -> str:
        ae_title = str(self.cleaned_data["ae_title"]).strip()
        if not AE_TITLE.fullmatch(ae_title):
            raise forms.ValidationError(
                "Up to 16 letters, digits, spaces or punctuation, without a backslash."
            )
        return ae_title

    def clean_modalities(self) -> list[str]:
        modalities: list[str] = self.cleaned_data["modalities"]
        wrong = [modality for modality in modalities if not MODALITY.fullmatch(modality)]
        if wrong or not modalities:
            raise forms.ValidationError(f"Not a DICOM modality: {', '.join(wrong) or 'none given'}.")
        return list(dict.fromkeys(modalities))

    def clean(self) -> dict[str, Any]:
        """A C-MOVE node's AE title must not deliver for another site already (ingest.pacs.nodes)."""
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        fields = {name: cleaned[name] for name in ("site", "ae_title", "retrieve_method")}
        if (other := delivery_conflict(PacsNode(**fields))) is not None:
            self.add_error(
                "ae_title",
                f"{fields['ae_title']} already sends to Kerma for site {other.code}: its C-MOVE deliveries "
                "would be counted there. Use C-GET, or give the PACS another AE title for this site.",
            )
        return cleaned


class QueryForm(forms.Form):
    date_from = forms.DateField(label="Studies from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="to", widget=forms.DateInput(attrs={"type": "date"}))
    modality = forms.ChoiceField(
        required=False,
        choices=[("", "the node's list"), *((modality, modality) for modality in MANUAL_MODALITIES)],
        help_text="Modality in Study to search.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("The first date comes after the last.")
        if start and end and end - start > LONGEST_PREVIEW:
            raise forms.ValidationError(
                "At most a year at a time here; `manage.py pacs_pull --since` takes more."
            )
        return cleaned

    def modalities(self, node: PacsNode) -> list[str]:
        return [self.cleaned_data["modality"]] if self.cleaned_data.get("modality") else list(node.modalities)
