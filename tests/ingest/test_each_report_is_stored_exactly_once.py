"""Exactly once, even when a worker dies: one report row and one de-identified copy per stored report.

A kill is simulated where it hurts most: after the report was stored, before the submission was finished
(the two commit together, so the retry finds nothing half-done), and after the copy was written but before
anything committed (the retry replaces that copy; it does not add a second one). A duplicate writes no copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydicom
import pytest
from celery.exceptions import Retry
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError

import ingest.services
from ingest.models import Channel, State, Submission
from ingest.services import submission_process
from ingest.tasks import process_submission
from registry.models import DoseReport
from tests.conftest import corpus_file
from tests.ingest.conftest import Send
from tests.ingest.faults import DatabaseDown, stored_files

pytestmark = pytest.mark.django_db
REPORT = "CT-RDSR-Siemens-Multi-1.dcm"


@pytest.fixture
def received(site: Any, django_capture_on_commit_callbacks: Any) -> Submission:
    """A received submission whose message was not yet consumed (the callbacks are not run)."""
    with django_capture_on_commit_callbacks(execute=False):
        return ingest.services.submission_receive(
            site=site, data=corpus_file(REPORT).read_bytes(), channel=Channel.API, filename=REPORT
        )


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so no handler of ours treats it as an ordinary error."""


def test_a_worker_killed_after_storing_finishes_stored_on_retry_with_one_copy(
    received: Submission, monkeypatch: pytest.MonkeyPatch, private_storage: Path
) -> None:
    finish = ingest.services.submission_finish

    def killed_after_the_store(submission: Submission, state: State) -> str:
        assert DoseReport.objects.filter(sop_instance_uid=submission.sop_instance_uid).exists()  # stored...
        raise WorkerKilled  # ... and the worker dies before the submission is finished

    monkeypatch.setattr(ingest.services, "submission_finish", killed_after_the_store)
    with pytest.raises(WorkerKilled):
        submission_process(str(received.pk))
    assert DoseReport.objects.count() == 0  # the store rolled back with the unfinished submission
    assert Submission.objects.get(pk=received.pk).state == State.PROCESSING

    monkeypatch.setattr(ingest.services, "submission_finish", finish)
    retried = submission_process(str(received.pk))  # the redelivered message (acks_late)
    assert (retried.state, retried.outcome, retried.attempts) == (State.STORED, "created", 2)
    assert DoseReport.objects.count() == 1
    copies = stored_files(private_storage, "reports")
    assert copies == [private_storage / str(retried.stored_file.name)]
    assert pydicom.dcmread(copies[0]).SOPInstanceUID == retried.sop_instance_uid
    assert stored_files(private_storage, "spool") == []


def test_a_copy_left_by_a_killed_worker_is_replaced_not_doubled(
    received: Submission, private_storage: Path
) -> None:
    # What a worker killed between writing the copy and committing leaves: a file no row points to, under
    # the name the retry will use (the copy is named after its submission).
    name = f"reports/{received.site.code}/{received.pk}.dcm"
    default_storage.save(name, ContentFile(b"half of an earlier attempt"))
    stored = submission_process(str(received.pk))
    assert stored.state == State.STORED
    assert stored.stored_file.name == name
    assert stored_files(private_storage, "reports") == [private_storage / name]
    copy = pydicom.dcmread(private_storage / name)
    assert copy.PatientIdentityRemoved == "YES"


def test_a_duplicate_writes_no_copy(send: Send, private_storage: Path) -> None:
    first = send(REPORT)
    again = send(REPORT)
    assert (first.state, again.state) == (State.STORED, State.DUPLICATE)
    assert again.dose_report_id == first.dose_report_id
    assert again.stored_file.name == ""
    assert stored_files(private_storage, "reports") == [private_storage / str(first.stored_file.name)]
    assert stored_files(private_storage, "spool") == []


def test_a_database_outage_mid_task_is_retried_with_backoff_never_failed(
    received: Submission, database_down: DatabaseDown, monkeypatch: pytest.MonkeyPatch, private_storage: Path
) -> None:
    """The database goes away after the report was read, while it is being stored: the task asks Celery to
    retry (with exponential backoff, up to 8 times over about 20 minutes), the submission stays
    `processing` with no error, nothing is stored; the retry, with the database back, stores it."""
    read = ingest.services.read_and_deidentify

    def read_then_database_goes(*args: Any, **kwargs: Any) -> Any:
        result = read(*args, **kwargs)
        database_down.active = True
        return result

    monkeypatch.setattr(ingest.services, "read_and_deidentify", read_then_database_goes)
    with pytest.raises(Retry) as retry:  # eager here: Celery raises what a worker would schedule
        process_submission.apply(args=[str(received.pk)])
    database_down.active = False
    assert isinstance(retry.value.exc, OperationalError)
    assert (process_submission.retry_backoff, process_submission.max_retries) == (True, 8)
    waiting = Submission.objects.get(pk=received.pk)
    assert (waiting.state, waiting.error_kind, waiting.error_message) == (State.PROCESSING, "", "")
    assert DoseReport.objects.count() == 0
    assert stored_files(private_storage, "reports") == []

    monkeypatch.setattr(ingest.services, "read_and_deidentify", read)
    assert process_submission.apply(args=[str(received.pk)]).get() == State.STORED
