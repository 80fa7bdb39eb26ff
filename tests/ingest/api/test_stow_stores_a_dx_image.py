"""STOW-RS takes a DX image like a dose report: the part succeeds and its header's dose is stored."""

from __future__ import annotations

from typing import Any

import pytest
from pydicom import Dataset
from rest_framework.test import APIClient

from ingest.models import State, Submission
from registry.models import Study
from tests.ingest.api.conftest import dicom_parts, stow

pytestmark = pytest.mark.django_db


def test_stow_of_a_dx_image_answers_success_and_stores_it(
    api: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the queued task runs (eager Celery)
        response = stow(api, dicom_parts("negative/DX-Im-GE_XR220-1.dcm"))
    assert response.status_code == 200
    answer = Dataset.from_json(response.content.decode())
    [referenced] = answer.ReferencedSOPSequence
    assert (
        referenced.ReferencedSOPClassUID == "1.2.840.10008.5.1.4.1.1.1.1.1"
    )  # Digital X-Ray, For Processing
    assert "FailedSOPSequence" not in answer
    assert Submission.objects.get().state == State.STORED
    assert Study.objects.get().dap_total_gym2 == pytest.approx(4.1e-6, rel=1e-9)  # (0018,115E) 0.41 dGy·cm²
