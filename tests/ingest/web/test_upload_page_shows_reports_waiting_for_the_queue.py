"""Broker down: the upload page keeps the files, says they wait for the queue, and counts the refusals;
once the requeue has run with the broker back, the same page shows them stored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils.html import strip_tags

from ingest.services import submissions_requeue
from tests.ingest.web.conftest import Post, corpus_upload

pytestmark = pytest.mark.django_db


def _text(response: object) -> str:
    return " ".join(strip_tags(response.content.decode()).split())  # type: ignore[attr-defined]


def test_the_page_says_the_files_wait_and_then_that_they_are_stored(
    broker: Callable[[bool], None], post_upload: Post, uploader_client: Client
) -> None:
    page = post_upload(corpus_upload("CT-RDSR-GEPixelMed.dcm"), corpus_upload("DX-RDSR-Canon_CXDI.dcm"))
    assert page.status_code == 200
    text = _text(page)
    assert "The task queue is unreachable." in text
    assert "2 submissions of North General Hospital are received and kept, waiting for the queue" in text
    assert "The broker refused 2 messages in the last 24 hours (last: " in text
    assert text.count("Received, waiting for the queue") == 4  # each file, in "This upload" and "Recent"

    broker(True)
    assert submissions_requeue(older_than=timedelta(minutes=15)) == 2
    text = _text(uploader_client.get(page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"]))
    assert "waiting for the queue" not in text
    assert "The task queue was unreachable." in text  # the day's refusals stay visible
    assert text.count("Stored") >= 2
