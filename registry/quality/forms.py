"""Forms of the QA pages: a reason for every decision, and a QA patient ID that is hashed, never kept."""

from __future__ import annotations

from django import forms

from registry.quality.services import REASON_LENGTH


class ReasonForm(forms.Form):
    """Flag, unflag or mark a device QA-only: the reason is shown with the study and kept in the audit."""

    reason = forms.CharField(max_length=REASON_LENGTH)


class QAPatientForm(forms.Form):
    """A patient ID the site uses for phantoms; Kerma keeps only its keyed pseudonym and the label."""

    patient_id = forms.CharField(
        max_length=64,
        label="Patient ID",
        help_text="As the modality sends it. Only its keyed pseudonym is kept; the ID itself is not stored.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    label = forms.CharField(
        max_length=100, help_text="What the ID is used for, e.g. “CTDI head phantom”; not the ID itself."
    )
