"""Celery tasks of ingest: one task per submission, idempotent, retried only on transient errors."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from ingest.services import submission_fail, submission_process

TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)


@shared_task(
    bind=True,
    acks_late=True,  # a worker that dies mid-task leaves the message to be redelivered
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
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
