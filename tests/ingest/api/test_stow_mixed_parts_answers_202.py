"""Some parts accepted, some failed: 202 with both sequences, failures carrying their reason."""

from __future__ import annotations

from typing import Any

import pytest
from pydicom import Dataset
from rest_framework.test import APIClient

from ingest.api.stow import FailureReason
from ingest.models import Submission
from tests.ingest.api.conftest import GOOD, dicom_parts, stow

pytestmark = pytest.mark.django_db


def test_two_reports_and_a_non_dicom_part_give_two_referenced_and_one_failed(api: APIClient) -> None:
    response = stow(api, [*dicom_parts(*GOOD), ("application/dicom", b"not DICOM at all")])
    assert response.status_code == 202
    assert response["Content-Type"] == "application/dicom+json"
    answer = Dataset.from_json(response.content.decode())
    assert len(answer.ReferencedSOPSequence) == 2
    [failed] = answer.FailedSOPSequence
    assert failed.FailureReason == FailureReason.CANNOT_UNDERSTAND == 0xC000
    assert Submission.objects.count() == 2


def test_a_secondary_capture_part_fails_with_sop_class_not_supported(api: APIClient) -> None:
    response = stow(api, dicom_parts(GOOD[0], "negative/CT-SC-Philips_Brilliance16P.dcm"))
    assert response.status_code == 202
    [failed] = Dataset.from_json(response.content.decode()).FailedSOPSequence
    assert failed.FailureReason == 0x0122
    assert failed.ReferencedSOPClassUID == "1.2.840.10008.5.1.4.1.1.7"  # Secondary Capture Image
    assert Submission.objects.count() == 1


def test_a_non_dose_enhanced_sr_is_accepted_and_rejected_later(
    api: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    """General SR classes may carry a dose template (GE CT), so only the reader can tell."""
    with django_capture_on_commit_callbacks(execute=True):  # the queued task runs (eager Celery)
        response = stow(api, dicom_parts("negative/ESR_non-dose.dcm"))
    assert response.status_code == 200
    submission = Submission.objects.get()
    assert (submission.state, submission.error_kind) == ("rejected", "not_a_dose_report")
