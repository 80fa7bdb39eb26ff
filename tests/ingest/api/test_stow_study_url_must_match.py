"""POST /dicomweb/studies/{uid} fails the instances of any other study (0xA900)."""

from __future__ import annotations

import pydicom
import pytest
from pydicom import Dataset
from rest_framework.test import APIClient

from tests.conftest import corpus_file
from tests.ingest.api.conftest import dicom_parts, stow

pytestmark = pytest.mark.django_db


def test_an_instance_of_another_study_fails_with_data_set_does_not_match(api: APIClient) -> None:
    own = pydicom.dcmread(corpus_file("CT-RDSR-Siemens-Multi-1.dcm"), stop_before_pixels=True)
    parts = dicom_parts("CT-RDSR-Siemens-Multi-1.dcm", "DX-RDSR-Canon_CXDI.dcm")
    response = stow(api, parts, f"/dicomweb/studies/{own.StudyInstanceUID}")
    assert response.status_code == 202
    answer = Dataset.from_json(response.content.decode())
    assert [item.ReferencedSOPInstanceUID for item in answer.ReferencedSOPSequence] == [own.SOPInstanceUID]
    assert [item.FailureReason for item in answer.FailedSOPSequence] == [0xA900]
