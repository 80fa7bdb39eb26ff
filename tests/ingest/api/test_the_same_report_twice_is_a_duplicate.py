"""Sending a report again is harmless, and the sender can see it was a duplicate."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.ingest.api.conftest import Post

pytestmark = pytest.mark.django_db


def test_the_second_submission_of_one_report_is_marked_duplicate(post_file: Post, api: APIClient) -> None:
    post_file("CT-RDSR-Siemens-Multi-1.dcm")
    [entry] = post_file("CT-RDSR-Siemens-Multi-1.dcm").json()["submissions"]
    status = api.get(entry["status_url"]).json()
    assert status["state"] == "duplicate"
    assert status["study"] is not None
