"""Who may export what: the selection of studies behind an export, and its audit rows.

Access is the registry's single rule (`Study.objects.for_user`, i.e. `visible_sites`) narrowed to the sites
where the person holds an exporting role; uploaders send reports but never take data out. Every decision to
export writes an `export.<format>` audit row in the same transaction, with the filters and the row count
(computed up front with COUNT); the file's SHA-256 follows in the same row when the file exists before the
response (XLSX, PDF), or in an `export.completed` row once a stream or a background job has written it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from registry.dashboards.filters import InvalidFiltersError, filters_from_params
from registry.models import AuditEvent, Site, Study, audit_record, visible_sites
from registry.models.access import EXPORT_ROLES
from registry.models.studies import StudyQuerySet
from registry.statistics.filters import DoseFilters

Kind = Literal["studies", "events", "audit_report"]
Mode = Literal["stream", "file", "job"]


def parse_filters(request: HttpRequest) -> DoseFilters:
    """The dashboard filters of an export request; a 400 naming every bad parameter."""
    try:
        return filters_from_params(request.GET)
    except InvalidFiltersError as invalid:
        raise BadRequest(str(invalid)) from invalid


def export_studies(user: Any, filters: DoseFilters) -> StudyQuerySet:
    """The studies `user` may export under `filters`; PermissionDenied if they may export none of them.

    A site named in the filters must be one where the person exports: asking for another site is refused
    rather than answered with an empty file, so nobody mistakes "no access" for "no studies".
    """
    sites = visible_sites(user, roles=EXPORT_ROLES)
    if not sites.exists():
        raise PermissionDenied("Exports are for physicists, auditors and administrators of a site.")
    if filters.site is not None and not sites.filter(code=filters.site).exists():
        raise PermissionDenied(f"You do not export for site {filters.site}.")
    return filters.apply(Study.objects.for_user(user, roles=EXPORT_ROLES))


@dataclass(frozen=True)
class ExportRequest:
    """What one export is: its format, what it lists, the filters (as query parameters) and its rows."""

    format: str
    kind: Kind
    filters: dict[str, str]
    rows: int
    mode: Mode

    def detail(self) -> dict[str, Any]:
        return asdict(self)


def export_record(
    *, actor: Any, request: ExportRequest, sha256: str | None = None, extra: dict[str, Any] | None = None
) -> AuditEvent:
    """The audit row of a decision to export (`export.<format>`), in its own transaction."""
    detail = request.detail() | ({"sha256": sha256} if sha256 else {}) | (extra or {})
    site = Site.objects.filter(code=request.filters.get("site", "")).first()
    with transaction.atomic():
        return audit_record(actor=actor, action=f"export.{request.format}", site=site, detail=detail)


def export_completed(
    decision: AuditEvent, *, sha256: str, rows: int, size: int, path: str = ""
) -> AuditEvent:
    """The audit row of a finished stream or job: the hash, rows and bytes actually written."""
    detail: dict[str, Any] = {"sha256": sha256, "rows": rows, "bytes": size}
    if path:
        detail["path"] = path
    return audit_record(
        actor=decision.actor or decision.actor_label,
        action="export.completed",
        obj=decision,
        site=decision.site,
        detail=detail,
    )
