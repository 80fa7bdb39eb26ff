"""When no part is accepted the answer is 409, still with the failure reasons."""

from __future__ import annotations

import pytest
from pydicom import Dataset
from rest_framework.test import APIClient

from ingest.models import Submission
from tests.ingest.api.conftest import stow

pytestmark = pytest.mark.django_db


def test_only_failed_parts_give_409_with_the_failed_sequence(api: APIClient) -> None:
    response = stow(api, [("application/dicom", b"junk"), ("application/dicom+json", b"{}")])
    assert response.status_code == 409
    answer = Dataset.from_json(response.content.decode())
    assert [item.FailureReason for item in answer.FailedSOPSequence] == [0xC000, 0xC000]
    assert "ReferencedSOPSequence" not in answer
    assert Submission.objects.count() == 0
