"""Export endpoints: parse the dashboard filters, scope, count, record the decision, then stream or queue.

Views stay thin: access and audit rows come from registry.exports.selection, the bytes from csv_stream and
xlsx, background jobs from registry.exports.jobs.
"""

from __future__ import annotations

import tempfile
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from registry.dashboards.filters import filters_from_params
from registry.exports import jobs
from registry.exports.columns import event_count, export_table
from registry.exports.csv_stream import CHUNK_ROWS, StreamResult, csv_chunks
from registry.exports.forms import ReportForm
from registry.exports.selection import (
    ExportRequest,
    Kind,
    Mode,
    export_completed,
    export_record,
    export_studies,
    parse_filters,
)
from registry.models import AuditEvent, visible_sites
from registry.models.access import EXPORT_ROLES
from registry.models.studies import StudyQuerySet
from registry.statistics.filters import DoseFilters


def selection(request: HttpRequest) -> tuple[DoseFilters, StudyQuerySet]:
    """The dashboard filters of the request (400 if they do not parse) and the studies they select."""
    filters = parse_filters(request)
    return filters, export_studies(request.user, filters)


def _filename(kind: str, extension: str) -> str:
    return f"kerma-{kind}-{timezone.now():%Y%m%d-%H%M%S}.{extension}"


@login_required
@require_GET
def studies_csv(request: HttpRequest) -> HttpResponseBase:
    return _csv(request, "studies")


@login_required
@require_GET
def events_csv(request: HttpRequest) -> HttpResponseBase:
    return _csv(request, "events")


def _csv(request: HttpRequest, kind: Kind) -> HttpResponseBase:
    """Stream the CSV; its hash and row count go in an `export.completed` row after the last byte."""
    export, studies = _planned(request, "csv", kind, "stream")
    if export.mode == "job":
        return _started_job(request, export)
    decision = export_record(actor=request.user, request=export)
    columns, queryset = export_table(studies, kind)

    def completed(result: StreamResult) -> None:
        export_completed(decision, sha256=result.sha256, rows=result.rows, size=result.size)

    chunks = csv_chunks(columns, queryset.iterator(chunk_size=CHUNK_ROWS), on_done=completed)
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(kind, "csv")}"'
    return response


def _planned(
    request: HttpRequest, file_format: str, kind: Kind, small: Mode
) -> tuple[ExportRequest, StudyQuerySet]:
    """The export asked for, with its row count (one COUNT), and its studies: small selections are
    answered at once (`small`), large ones become a background job."""
    filters, studies = selection(request)
    rows = _rows(studies, kind)
    mode: Mode = "job" if rows > jobs.LARGE_EXPORT_ROWS else small
    return ExportRequest(file_format, kind, filters.as_params(), rows, mode), studies


def _started_job(request: HttpRequest, export: ExportRequest) -> HttpResponseBase:
    return redirect("exports:job", jobs.job_start(actor=request.user, request=export).pk)


@login_required
@require_GET
def studies_xlsx(request: HttpRequest) -> HttpResponseBase:
    return _xlsx(request, "studies")


@login_required
@require_GET
def events_xlsx(request: HttpRequest) -> HttpResponseBase:
    return _xlsx(request, "events")


def _xlsx(request: HttpRequest, kind: Kind) -> HttpResponseBase:
    """The workbook, written to a temporary file first so the audit row can carry its SHA-256."""
    export, studies = _planned(request, "xlsx", kind, "file")
    if export.mode == "job":
        return _started_job(request, export)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    jobs.write_xlsx(handle.name, studies, kind, filters=export.filters, generated_at=timezone.now())
    sha256, _ = jobs.file_digest(handle)
    export_record(actor=request.user, request=export, sha256=sha256)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=_filename(kind, "xlsx"))


def _rows(studies: StudyQuerySet, kind: Kind) -> int:
    """The export's row count, with one COUNT: a row per study, or per event of the studies."""
    return studies.count() if kind == "studies" else event_count(studies)


def _own_job(request: HttpRequest, pk: int) -> AuditEvent:
    """A job of the person asking; anyone else's is a 404, not a 403, so job ids reveal nothing."""
    return get_object_or_404(
        AuditEvent, pk=pk, action__startswith="export.", detail__mode="job", actor=request.user
    )


@login_required
@require_GET
def job_page(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The job's progress; htmx polls the status fragment until the download link appears."""
    state = jobs.job_state(_own_job(request, pk))
    template = (
        "registry/exports/_job_status.html"
        if request.headers.get("HX-Request")
        else "registry/exports/job.html"
    )
    return render(request, template, {"state": state})


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The same state as JSON, for scripts."""
    state = jobs.job_state(_own_job(request, pk))
    return JsonResponse(
        {
            "id": pk,
            "state": state.state,
            "progress": state.progress,
            "sha256": state.sha256,
            "error": state.error,
        }
    )


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The finished file, only to the person who asked for it, and only while they may still export it.

    Rights can be withdrawn between the request and the download: the same check as a new export (an
    exporting role, and the site the filters name) runs again, so a former auditor gets a 403.
    """
    job = _own_job(request, pk)
    export_studies(request.user, filters_from_params(job.detail["filters"]))
    state = jobs.job_state(job)
    if state.state != "finished":
        return redirect("exports:job", pk)
    name = state.path.rsplit("/", 1)[-1]
    return FileResponse(default_storage.open(state.path, "rb"), as_attachment=True, filename=name)


@login_required
@require_GET
def reports_page(request: HttpRequest) -> HttpResponseBase:
    """The auditor's Reports page: pick site, period and scope, see what the files will hold, download.

    The form is the export filters under their own names, so each download link carries exactly what is
    shown; the downloads themselves check access and write their audit rows as from the dashboard.
    """
    sites = visible_sites(request.user, roles=EXPORT_ROLES).order_by("code")
    if not request.user.is_superuser and not sites.exists():
        raise PermissionDenied("Reports are for physicists, auditors and administrators of a site.")
    form = ReportForm(sites, request.GET or None)
    chosen = form.is_valid()
    context = {
        "form": form,
        "scope": form.scope() if chosen else [],
        "query": urlencode(form.query()) if chosen else "",
        "one_site": chosen and bool(form.cleaned_data.get("site")),
    }
    return render(
        request, "registry/exports/reports.html", context, status=200 if chosen or not request.GET else 400
    )
