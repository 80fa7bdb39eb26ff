"""Admin pages: submissions (every received file, its state and reason; read-only), PACS nodes and runs."""

from __future__ import annotations

from django.contrib import admin

from ingest.models import Submission
from ingest.pacs import admin as pacs_admin  # noqa: F401 - registers the PACS nodes' and runs' pages


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["received_at", "site", "channel", "filename", "state", "error_kind", "outcome"]
    list_filter = ["state", "channel", "site"]
    search_fields = ["filename", "sop_instance_uid", "sha256"]
    readonly_fields = [field.name for field in Submission._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
