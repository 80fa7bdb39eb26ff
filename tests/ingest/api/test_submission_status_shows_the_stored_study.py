"""The status URL tells the sender the report was stored and in which study."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from registry.models import Study
from tests.ingest.api.conftest import Post

pytestmark = pytest.mark.django_db


def test_the_status_of_a_stored_report_names_its_study(post_file: Post, api: APIClient) -> None:
    [entry] = post_file("CT-RDSR-Siemens-Multi-3.dcm").json()["submissions"]
    status = api.get(entry["status_url"]).json()
    assert status["state"] == "stored"
    assert status["outcome"] == "created"
    assert status["study"] == Study.objects.get().pk
    assert status["error_kind"] == "" and status["error_message"] == ""
