"""Celery tasks of ingest: one task per submission, idempotent, retried only on transient errors."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from ingest.pacs.runs import pacs_run_execute, pacs_runs_plan
from ingest.services import submission_fail, submission_process, submissions_requeue

# A database that is restarting or failing over, or storage that hiccups: the same message is tried again
# with growing pauses, and the submission is never marked failed for it (it stays `processing`; should
# every retry fail, the requeue schedule sends it again later).
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)


@shared_task(
    bind=True,
    acks_late=True,  # a worker that dies mid-task leaves the message to be redelivered
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
    ignore_result=True,  # the outcome is the submission's state; a result store that is down must not matter
)
def process_submission(self: object, submission_id: str) -> str:
    """Process one submission by primary key and return its final state."""
    try:
        return submission_process(submission_id).state
    except TRANSIENT_ERRORS:
        raise
    except Exception as error:
        submission_fail(submission_id, error)
        raise


@shared_task(ignore_result=True)
def requeue_waiting_submissions() -> int:
    """The beat schedule's entry (settings.CELERY_BEAT_SCHEDULE): run the requeue rule, every minute."""
    return submissions_requeue(older_than=timedelta(minutes=settings.KERMA_REQUEUE_AFTER_MINUTES))


@shared_task(ignore_result=True)
def pull_from_pacs(run_id: int | None = None) -> int:
    """The beat schedule's PACS entry without a run: queue a run (its own task) for every node that is due.
    With a run, carry it out (ingest/pacs/runs.py); it never raises for a PACS's refusal, it records it."""
    if run_id is None:
        return len(pacs_runs_plan())
    return pacs_run_execute(run_id=run_id).retrieved
