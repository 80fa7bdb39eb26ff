"""With a broker, `ingest --wait` polls until a worker has finished every file, then sums up."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from ingest.models import Submission
from ingest.services import submission_process
from registry.models import Site

pytestmark = pytest.mark.django_db(transaction=True)


def test_wait_follows_queued_files_until_a_worker_has_processed_them(
    report_folder: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ingest.services._enqueue", lambda submission_id: None)  # queued, no worker yet

    def worker_runs() -> None:
        for submission in Submission.objects.pending():
            submission_process(str(submission.pk))

    monkeypatch.setattr("ingest.management.commands.ingest._pause", worker_runs)
    out = StringIO()
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        call_command("ingest", str(report_folder), "--site", site.code, "--wait", stdout=out)
    assert "stored     2" in out.getvalue()
    assert "rejected   1" in out.getvalue()
    assert not Submission.objects.pending().exists()
