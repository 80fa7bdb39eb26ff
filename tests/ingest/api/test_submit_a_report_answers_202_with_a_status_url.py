"""POST /api/v1/submissions/ answers 202 at once with the submission id and where to follow it."""

from __future__ import annotations

import pytest

from ingest.models import Channel, Submission
from tests.ingest.api.conftest import Post

pytestmark = pytest.mark.django_db


def test_a_report_posted_with_a_site_token_is_accepted_with_its_status_url(post_file: Post) -> None:
    response = post_file("CT-RDSR-Siemens-Multi-3.dcm")
    assert response.status_code == 202
    [entry] = response.json()["submissions"]
    submission = Submission.objects.get()
    assert entry["id"] == str(submission.id)
    assert entry["status_url"] == f"http://testserver/api/v1/submissions/{submission.id}/"
    assert response["Location"] == entry["status_url"]
    assert submission.channel == Channel.API and submission.site.code == "NORTH-01"
