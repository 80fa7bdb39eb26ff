"""Admin pages of PACS nodes (saved through the service) and their runs (read-only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from ingest.pacs.models import PacsNode, PacsRun
from ingest.pacs.nodes import SNAPSHOT_FIELDS, delivery_conflict, pacs_node_save


class PacsNodeAdminForm(forms.ModelForm):
    class Meta:
        model = PacsNode
        fields = ["site", *SNAPSHOT_FIELDS]

    def clean(self) -> dict[str, Any]:
        """Refuse a C-MOVE node whose AE title already delivers for another site (ingest.pacs.nodes)."""
        cleaned = super().clean() or {}
        if not self.errors:
            fields = {name: cleaned[name] for name in ("site", "ae_title", "retrieve_method")}
            if (other := delivery_conflict(PacsNode(**fields))) is not None:
                raise forms.ValidationError(
                    f"AE title {fields['ae_title']} already sends for site {other.code}."
                )
        return cleaned


@admin.register(PacsNode)
class PacsNodeAdmin(admin.ModelAdmin):
    """Nodes are saved through the service, so a C-MOVE node's deliveries are accepted for its site."""

    form = PacsNodeAdminForm

    list_display = [
        "name",
        "site",
        "ae_title",
        "host",
        "port",
        "retrieve_method",
        "enabled",
        "synced_through",
    ]
    list_filter = ["enabled", "retrieve_method", "site"]
    readonly_fields = ["synced_through", "consecutive_failures", "retry_after", "last_error", "created_at"]

    def save_model(self, request: Any, obj: PacsNode, form: Any, change: bool) -> None:
        pacs_node_save(actor=request.user, node=obj)


@admin.register(PacsRun)
class PacsRunAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "node",
        "trigger",
        "state",
        "found",
        "already_stored",
        "retrieved",
        "failed",
    ]
    list_filter = ["state", "trigger", "node"]
    readonly_fields = [field.name for field in PacsRun._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
