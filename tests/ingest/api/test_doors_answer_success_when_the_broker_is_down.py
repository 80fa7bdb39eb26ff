"""Broker down: REST and STOW-RS answer success for what they durably received, and the submission waits.

The broker is a Redis address on a local port nothing listens on, so every send is refused for real
(kombu's OperationalError), as when Redis is stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from ingest.models import State, Submission
from tests.ingest.api.conftest import Post, dicom_parts, stow
from tests.ingest.faults import stored_files

pytestmark = pytest.mark.django_db


def _waiting(submission_id: str) -> Submission:
    submission = Submission.objects.get(pk=submission_id)
    assert submission.state == State.RECEIVED
    assert submission.awaiting_queue is True
    assert submission.queue_failures == 1
    assert "Connection refused" in submission.queue_error
    return submission


def test_rest_answers_202_and_keeps_the_submission_waiting(
    broker: Callable[[bool], None], post_file: Post, private_storage: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="ingest.services"):
        response = post_file("CT-RDSR-GEPixelMed.dcm")
    assert response.status_code == 202
    body = response.json()["submissions"][0]
    submission = _waiting(body["id"])
    assert body["state"] == "received"
    # The received bytes are kept until the broker is back, and the log names the submission.
    assert stored_files(private_storage, "spool") == [private_storage / str(submission.spool.name)]
    assert f"submission {submission.pk} received but not queued" in caplog.text


def test_stow_answers_200_for_every_part_and_keeps_them_waiting(
    broker: Callable[[bool], None], api: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = stow(api, dicom_parts("CT-RDSR-GEPixelMed.dcm", "DX-RDSR-Canon_CXDI.dcm"))
    assert response.status_code == 200
    referenced = response.json()["00081199"]["Value"]
    assert len(referenced) == 2
    assert "00081198" not in response.json()  # no failed SOP sequence
    submissions = Submission.objects.all()
    assert submissions.count() == 2
    # The first refusal pauses sending for a moment, so the second part is not sent at all: still counted.
    for submission in submissions:
        _waiting(str(submission.pk))
