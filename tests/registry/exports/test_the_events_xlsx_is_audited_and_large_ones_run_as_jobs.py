"""GET /exports/events.xlsx is recorded like every export (who, filters, events counted up front, the file's
SHA-256), and above LARGE_EXPORT_ROWS events it becomes a background job whose file holds the same rows."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from registry.exports import events_xlsx, jobs
from registry.models import AuditEvent, Study
from tests.registry.exports.conftest import streamed

pytestmark = pytest.mark.django_db


def events_sheet(content: bytes) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return list(book["Events"].iter_rows(values_only=True))


def test_the_decision_row_carries_the_event_count_and_the_files_hash(physicist: Client) -> None:
    response = physicist.get("/exports/events.xlsx", {"site": "ALPHA", "sex": "F"})
    content = streamed(response)
    decision = AuditEvent.objects.get(action="export.xlsx")
    assert (decision.actor_label, decision.site.code if decision.site else None) == ("phil", "ALPHA")
    assert decision.detail == {
        "format": "xlsx",
        "kind": "events",
        "filters": {"site": "ALPHA", "sex": "F"},
        "rows": 10,
        "mode": "file",
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    assert response["Content-Disposition"].startswith('attachment; filename="kerma-events-')


def test_a_refused_export_writes_no_row(physicist: Client) -> None:
    assert physicist.get("/exports/events.xlsx", {"site": "BRAVO"}).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()


def test_a_large_selection_is_a_job_whose_file_equals_the_direct_one(
    physicist: Client, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    direct = events_sheet(streamed(physicist.get("/exports/events.xlsx")))
    monkeypatch.setattr(jobs, "LARGE_EXPORT_ROWS", 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = physicist.get("/exports/events.xlsx")
    job = AuditEvent.objects.get(action="export.xlsx", detail__mode="job")
    assert response.status_code == 302 and response["Location"] == f"/exports/jobs/{job.pk}/"
    assert (job.detail["kind"], job.detail["rows"]) == ("events", 10)
    completed = AuditEvent.objects.get(action="export.completed", object_id=str(job.pk))
    assert completed.detail["path"].startswith(f"exports/{job.pk}/kerma-events-")
    assert completed.detail["path"].endswith(".xlsx") and completed.detail["rows"] == 10
    with default_storage.open(completed.detail["path"]) as handle:
        content = handle.read()
    assert completed.detail["sha256"] == hashlib.sha256(content).hexdigest()
    assert events_sheet(content) == direct and len(direct) == 1 + 10
    assert streamed(physicist.get(f"/exports/jobs/{job.pk}/download")) == content
    assert physicist.get(f"/exports/jobs/{job.pk}/status.json").json()["state"] == "finished"


def test_the_writer_reports_progress_every_chunk_for_the_job_page(
    physicist: Client, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setattr(events_xlsx, "CHUNK_ROWS", 4)
    seen: list[int] = []
    studies = Study.objects.filter(site__code="ALPHA")
    written = events_xlsx.write_events_workbook(
        str(tmp_path / "events.xlsx"),
        studies,
        filters={},
        generated_at=timezone.now(),
        on_progress=seen.append,
    )
    assert (written, seen) == (10, [4, 8])
