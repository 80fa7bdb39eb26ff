"""Every export is recorded: who, the filters, the row count up front, and the file's SHA-256."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from registry.models import AuditEvent
from tests.registry.exports.conftest import streamed

pytestmark = pytest.mark.django_db


def test_a_csv_stream_records_its_decision_then_its_hash(physicist: Client) -> None:
    response = physicist.get("/exports/studies.csv", {"site": "ALPHA", "date_from": "2025-03-01"})
    decision = AuditEvent.objects.get(action="export.csv")
    assert (decision.actor_label, str(decision.site)) == ("phil", "ALPHA (Alpha Hospital)")
    assert decision.detail == {
        "format": "csv",
        "kind": "studies",
        "filters": {"site": "ALPHA", "date_from": "2025-03-01"},
        "rows": 5,
        "mode": "stream",
    }
    assert not AuditEvent.objects.filter(action="export.completed").exists()  # nothing streamed yet
    content = streamed(response)
    completed = AuditEvent.objects.get(action="export.completed")
    assert completed.object_id == str(decision.pk) and completed.actor_label == "phil"
    assert completed.detail == {
        "sha256": hashlib.sha256(content).hexdigest(),
        "rows": 5,
        "bytes": len(content),
    }


def test_the_events_csv_counts_events(physicist: Client) -> None:
    streamed(physicist.get("/exports/events.csv"))
    assert AuditEvent.objects.get(action="export.csv").detail["rows"] == 10
    assert AuditEvent.objects.get(action="export.completed").detail["rows"] == 10


def test_an_xlsx_records_the_files_hash_in_one_row(physicist: Client) -> None:
    content = streamed(physicist.get("/exports/studies.xlsx", {"sex": "F"}))
    event = AuditEvent.objects.get(action="export.xlsx")
    assert event.detail == {
        "format": "xlsx",
        "kind": "studies",
        "filters": {"sex": "F"},
        "rows": 5,
        "mode": "file",
        "sha256": hashlib.sha256(content).hexdigest(),
    }
