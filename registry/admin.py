"""Admin pages for the registry: sites, devices (physicists rename them here), studies, levels, audit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from registry.models import (
    AETitle,
    AuditEvent,
    Device,
    DoseReport,
    Membership,
    ReferenceLevel,
    Site,
    StandardExam,
    Study,
    UploadToken,
)
from registry.statistics.workload import sites_touched, workload_key, workload_move, workload_recount


class AETitleInline(admin.TabularInline):
    model = AETitle
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country", "type"]
    search_fields = ["code", "name"]
    inlines = [AETitleInline]


@admin.register(UploadToken)
class UploadTokenAdmin(admin.ModelAdmin):
    """Tokens are issued and rotated with `manage.py add_site`; here they can only be seen and revoked."""

    list_display = ["site", "prefix", "label", "created_at", "revoked_at"]
    readonly_fields = ["site", "prefix", "digest", "created_at"]
    list_filter = ["site"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["display_name", "site", "manufacturer", "model_name", "station_name", "serial_number"]
    list_filter = ["site", "manufacturer"]
    search_fields = ["display_name", "model_name", "station_name", "serial_number"]
    readonly_fields = ["identity_key", "device_observer_uid"]


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ["site", "study_date", "modality", "description", "standard_exam"]
    list_filter = ["site", "modality"]
    search_fields = ["description", "study_instance_uid"]
    readonly_fields = [field.name for field in Study._meta.fields if field.name != "standard_exam"]

    # A study's exam changed or studies deleted here: move their workload counts
    # (registry.statistics.workload).
    def save_model(self, request: HttpRequest, obj: Study, form: Any, change: bool) -> None:
        before = workload_key(Study.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        workload_move(before, workload_key(obj))

    def delete_model(self, request: HttpRequest, obj: Study) -> None:
        counted = workload_key(obj)
        super().delete_model(request, obj)
        workload_move(counted, None)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Study]) -> None:
        site_ids = sites_touched(queryset)
        super().delete_queryset(request, queryset)
        workload_recount(site_ids)


@admin.register(DoseReport)
class DoseReportAdmin(admin.ModelAdmin):
    list_display = ["sop_instance_uid", "modality", "study", "contributes", "received_at"]
    list_filter = ["modality", "contributes"]
    readonly_fields = [field.name for field in DoseReport._meta.fields]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "site", "role"]
    list_filter = ["site", "role"]


@admin.register(StandardExam)
class StandardExamAdmin(admin.ModelAdmin):
    list_display = ["modality", "name", "code_system", "code", "active"]
    list_filter = ["modality", "active"]
    search_fields = ["name", "code"]

    # Deleting an exam leaves its studies unmapped (SET_NULL): recount every site's workload.
    def delete_model(self, request: HttpRequest, obj: StandardExam) -> None:
        super().delete_model(request, obj)
        workload_recount()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[StandardExam]) -> None:
        super().delete_queryset(request, queryset)
        workload_recount()


@admin.register(ReferenceLevel)
class ReferenceLevelAdmin(admin.ModelAdmin):
    """Read-only: levels change through their versioning service, which keeps the audit trail."""

    list_display = ["modality", "exam", "metric", "value", "unit", "issuer", "year", "status", "version"]
    list_filter = ["modality", "metric", "status", "kind"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_id", "site"]
    list_filter = ["action", "site"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
