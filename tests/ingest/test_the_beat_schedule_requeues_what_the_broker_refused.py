"""The beat schedule runs the requeue rule every minute: what the broker refused is stored once it is back.

The schedule is the one django-celery-beat's DatabaseScheduler installs from settings.CELERY_BEAT_SCHEDULE
(the scheduler `celery beat` runs with, docs/deployment.md); the test runs the entry's task as beat would
send it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from ingest.models import State, Submission
from registry.celery import app
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db
ENTRY = "requeue-waiting-submissions"


@pytest.mark.django_db(transaction=True)  # the scheduler closes old connections, as between beat's ticks
def test_beat_installs_the_requeue_every_minute() -> None:
    DatabaseScheduler(app=app)  # what `celery beat --scheduler django_celery_beat...` does when it starts
    entry = PeriodicTask.objects.get(name=ENTRY)
    assert entry.task == "ingest.tasks.requeue_waiting_submissions"
    assert (entry.interval.every, entry.interval.period) == (60, "seconds")
    assert entry.enabled


def _run_the_beat_entry() -> Any:
    entry = app.conf.beat_schedule[ENTRY]
    return app.tasks[entry["task"]].apply().get()


def test_a_submission_the_broker_refused_is_stored_by_the_next_beat_run(
    broker: Callable[[bool], None], send: Send
) -> None:
    waiting = send("CT-RDSR-GEPixelMed.dcm")
    assert (waiting.state, waiting.awaiting_queue) == (State.RECEIVED, True)

    assert _run_the_beat_entry() == 0  # broker still down: nothing queued, still waiting, refusal counted
    waiting.refresh_from_db()
    assert (waiting.state, waiting.awaiting_queue) == (State.RECEIVED, True)

    broker(True)
    assert _run_the_beat_entry() == 1
    stored = Submission.objects.get(pk=waiting.pk)
    assert (stored.state, stored.awaiting_queue) == (State.STORED, False)
    assert stored.dose_report is not None
    assert stored.dose_report.sop_instance_uid == stored.sop_instance_uid
    assert _run_the_beat_entry() == 0  # final: never queued again
