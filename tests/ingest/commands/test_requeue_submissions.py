"""A submission whose task was lost is queued again and then stored; final ones are left alone."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from ingest.models import Channel, State, Submission
from ingest.services import submission_receive
from registry.models import Site
from tests.conftest import corpus_file
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db


def test_a_submission_whose_message_was_lost_is_stored_after_requeueing(
    site: Site, django_capture_on_commit_callbacks: Any
) -> None:
    # The on-commit callback that would queue the task is captured and never run: the message is lost.
    with django_capture_on_commit_callbacks(execute=False):
        lost = submission_receive(
            site=site, data=corpus_file("DX-RDSR-Canon_CXDI.dcm").read_bytes(), channel=Channel.API
        )
    Submission.objects.filter(pk=lost.pk).update(received_at=timezone.now() - timedelta(hours=1))
    out = StringIO()
    call_command("requeue_submissions", "--older-than", "15", stdout=out)
    assert "1 submission(s) queued again" in out.getvalue()
    assert Submission.objects.get(pk=lost.pk).state == State.STORED


def test_recent_and_final_submissions_are_not_requeued(send: Send) -> None:
    send("DX-RDSR-Canon_CXDI.dcm")
    out = StringIO()
    call_command("requeue_submissions", "--older-than", "0", stdout=out)
    assert "0 submission(s) queued again" in out.getvalue()
