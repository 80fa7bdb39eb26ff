"""Redis unreachable from the web server: the upload is answered 202 and waits; Celery beat (a real
process, django-celery-beat's scheduler) queues it again, and the real worker stores it."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
import requests

from tests.conftest import corpus_file
from tests.live.conftest import LiveSite, free_port, start, stop, wait_until_final

REPORT = "DX-RDSR-Canon_CXDI.dcm"


def _refusing_broker() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"


def test_an_upload_during_a_broker_outage_is_stored_by_the_beat_requeue(
    live_site: LiveSite, tmp_path: Path
) -> None:
    from ingest.models import Submission

    port = free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    web = start(
        [gunicorn, "registry.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        port,
        tmp_path / "web.log",
        env={"CELERY_BROKER_URL": _refusing_broker()},
    )
    try:
        with corpus_file(REPORT).open("rb") as upload:
            response = requests.post(
                f"http://127.0.0.1:{port}/api/v1/submissions/",
                files={"file": (REPORT, upload, "application/dicom")},
                headers={"Authorization": f"Token {live_site.token}"},
                timeout=60,
            )
    finally:
        stop(web)
    assert response.status_code == 202, response.text
    submission_id = response.json()["submissions"][0]["id"]
    waiting = Submission.objects.get(pk=submission_id)
    assert (waiting.state, waiting.awaiting_queue, waiting.queue_failures) == ("received", True, 1)

    celery = str(Path(sys.executable).with_name("celery"))
    beat = start(
        [
            celery,
            "-A",
            "registry",
            "beat",
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--loglevel",
            "INFO",
        ],
        None,
        tmp_path / "beat.log",
        env={"KERMA_REQUEUE_EVERY_SECONDS": "2"},
    )
    try:
        states = wait_until_final([submission_id], timeout=60)
    except AssertionError:
        pytest.fail(f"not stored; beat log:\n{(tmp_path / 'beat.log').read_text()[-3000:]}")
    finally:
        stop(beat)
    assert states == {submission_id: "stored"}
    stored = Submission.objects.get(pk=submission_id)
    assert stored.awaiting_queue is False
    assert stored.dose_report is not None
