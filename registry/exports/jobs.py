"""Large exports as background jobs: the decision row is the job, the audit trail is its state.

A job is the `export.<format>` audit row written when someone asks for a large export (mode "job"); its
id is the job id. The Celery task writes the file to `default_storage` under `exports/`, then an
`export.completed` row (path, SHA-256, rows) or an `export.failed` row pointing at it. Audit rows are never
changed, so the running progress lives in a small JSON file beside the export, which web and workers share
(as they share uploads).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from registry.celery import QueueUnavailableError, enqueue
from registry.dashboards.filters import filters_from_params
from registry.exports.columns import export_table
from registry.exports.csv_stream import CHUNK_ROWS, StreamResult, csv_chunks
from registry.exports.events_xlsx import write_events_workbook
from registry.exports.selection import ExportRequest, export_completed, export_record, export_studies
from registry.exports.xlsx import write_workbook
from registry.models import AuditEvent, audit_record
from registry.models.studies import StudyQuerySet

# Above this many rows an export runs in the background: a request should not hold a worker for minutes.
LARGE_EXPORT_ROWS = 50_000
# registry.tasks imports this module, so the task is named, not imported (registry.celery.enqueue).
EXPORT_TASK = "registry.tasks.export_job"


@dataclass(frozen=True)
class JobState:
    """What the job page shows: queued/running/finished/failed, progress in percent, and the file."""

    job: AuditEvent
    state: str
    progress: int
    path: str = ""
    sha256: str = ""
    error: str = ""


def job_start(*, actor: Any, request: ExportRequest) -> AuditEvent:
    """Record the decision and enqueue the task once it is committed (a worker must see the row)."""
    with transaction.atomic():
        job = export_record(actor=actor, request=request)
        transaction.on_commit(lambda: _send(job))
    return job


def _send(job: AuditEvent) -> None:
    """Queue the job; if the broker refuses, the job fails at once with why (asking again is cheap)."""
    try:
        enqueue(EXPORT_TASK, job.pk)
    except QueueUnavailableError:
        audit_record(
            actor=job.actor or job.actor_label,
            action="export.failed",
            obj=job,
            site=job.site,
            detail={"error": "the task queue is unreachable; ask for the export again in a few minutes"},
        )


def job_state(job: AuditEvent) -> JobState:
    """The job's state from its audit rows, and the progress the worker last wrote."""
    outcome = AuditEvent.objects.filter(
        action__in=("export.completed", "export.failed"),
        object_type="registry.AuditEvent",
        object_id=str(job.pk),
    ).first()
    if outcome is not None and outcome.action == "export.completed":
        detail = outcome.detail
        return JobState(job, "finished", 100, detail.get("path", ""), detail.get("sha256", ""))
    if outcome is not None:
        return JobState(job, "failed", 0, error=str(outcome.detail.get("error", "")))
    progress = _read_progress(job)
    return JobState(job, "running" if progress is not None else "queued", progress or 0)


def job_run(job_id: int) -> None:
    """Write the job's file (idempotent: a finished job is left alone) and record the outcome."""
    job = AuditEvent.objects.select_related("actor").get(pk=job_id, detail__mode="job")
    if job_state(job).state in ("finished", "failed"):
        return
    try:
        result, path = _write(job)
    except Exception as error:
        audit_record(
            actor=job.actor or job.actor_label,
            action="export.failed",
            obj=job,
            site=job.site,
            detail={"error": str(error)[:500]},
        )
        raise
    export_completed(job, sha256=result.sha256, rows=result.rows, size=result.size, path=path)
    default_storage.delete(_progress_name(job))


def _write(job: AuditEvent) -> tuple[StreamResult, str]:
    """The export into a temporary file, hashed, then saved to storage; access is checked again here."""
    detail = job.detail
    studies = export_studies(job.actor, filters_from_params(detail["filters"]))
    total = max(int(detail.get("rows") or 0), 1)

    def report(rows: int) -> None:
        _write_progress(job, min(99, rows * 100 // total))

    report(0)
    with tempfile.NamedTemporaryFile(suffix=f".{detail['format']}") as handle:
        if detail["format"] == "xlsx":
            # XlsxWriter writes the path itself; the open handle then reads the finished file.
            rows = write_xlsx(
                handle.name,
                studies,
                detail["kind"],
                filters=detail["filters"],
                generated_at=timezone.now(),
                on_progress=report,
            )
            handle.seek(0)
            sha256, size = file_digest(handle)
            result = StreamResult(sha256, rows, size)
        else:
            result = _write_csv(handle, studies, detail["kind"], report)  # hashed as it was written
        handle.seek(0)
        name = f"exports/{job.pk}/kerma-{detail['kind']}-{timezone.now():%Y%m%d-%H%M%S}.{detail['format']}"
        path = default_storage.save(name, File(handle))
    return result, path


def write_xlsx(
    path: str,
    studies: StudyQuerySet,
    kind: str,
    *,
    filters: dict[str, str],
    generated_at: dt.datetime,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """The workbook of `kind` (studies or events) at `path`, for a request and a job alike; returns rows."""
    write = write_workbook if kind == "studies" else write_events_workbook
    return write(path, studies, filters=filters, generated_at=generated_at, on_progress=on_progress)


def _write_csv(handle: Any, studies: StudyQuerySet, kind: str, report: Callable[[int], None]) -> StreamResult:
    """The CSV into `handle`; csv_chunks hashes and counts the bytes as it yields them."""
    columns, rows = export_table(studies, kind)
    done: list[StreamResult] = []
    for chunk in csv_chunks(
        columns, rows.iterator(chunk_size=CHUNK_ROWS), on_chunk=report, on_done=done.append
    ):
        handle.write(chunk)
    handle.flush()
    return done[0]


def file_digest(handle: Any) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while block := handle.read(1 << 20):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def _progress_name(job: AuditEvent) -> str:
    return f"exports/{job.pk}/progress.json"


def _write_progress(job: AuditEvent, percent: int) -> None:
    name = _progress_name(job)
    default_storage.delete(name)
    default_storage.save(
        name, ContentFile(json.dumps({"progress": percent, "at": dt.datetime.now(dt.UTC).isoformat()}))
    )


def _read_progress(job: AuditEvent) -> int | None:
    name = _progress_name(job)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name) as handle:
        return int(json.load(handle).get("progress", 0))
