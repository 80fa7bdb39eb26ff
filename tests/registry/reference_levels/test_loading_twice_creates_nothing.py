"""Loading the same files again creates no level, no version and no audit row."""

from __future__ import annotations

from pathlib import Path

from registry.models import AuditEvent, ReferenceLevel
from tests.registry.reference_levels.conftest import Load


def test_second_load_reports_every_row_unchanged(published: Path, load: Load) -> None:
    load(published)
    levels, events = ReferenceLevel.objects.count(), AuditEvent.objects.count()
    output = load(published)
    assert (ReferenceLevel.objects.count(), AuditEvent.objects.count()) == (levels, events)
    assert "drl.csv: 0 created, 0 new version(s), 77 unchanged, 0 skipped" in output
    assert "thresholds.csv: 0 created, 0 new version(s), 11 unchanged, 1 skipped" in output
