"""The upload form: which site the files are for, and the files (several at once, or ZIP archives)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat

from registry.models import Site


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that keeps every selected file; Django's own keeps only the last one."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), empty_label=None, to_field_name="code")
    reports = MultipleFileField(
        label="Dose reports", help_text="DICOM dose SR files, or ZIP archives of them (no nested archives)."
    )

    def __init__(self, sites: QuerySet[Site], *args: Any, **kwargs: Any) -> None:
        """`sites` are those the user may upload for; the choice is limited to them."""
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]

    def clean_reports(self) -> list[UploadedFile]:
        """Refuse the whole upload if one file is over the limit, so nothing is half sent."""
        files: list[UploadedFile] = self.cleaned_data["reports"]
        limit = settings.KERMA_MAX_UPLOAD_BYTES
        too_large = [upload for upload in files if (upload.size or 0) > limit]
        if too_large:
            names = ", ".join(f"{upload.name} ({filesizeformat(upload.size or 0)})" for upload in too_large)
            raise forms.ValidationError(
                f"Too large: {names}. Each file may be at most {filesizeformat(limit)}; nothing was uploaded."
            )
        return files
