"""A DICOMweb client stores dose reports with STOW-RS; they are queued and (eager Celery) stored."""

from __future__ import annotations

from typing import Any

import pydicom
import pytest
from dicomweb_client import DICOMwebClient

from ingest.models import Channel, Submission
from registry.models import Study
from tests.conftest import corpus_file
from tests.ingest.api.conftest import GOOD

pytestmark = pytest.mark.django_db(transaction=True)


def _client(live_server: Any, secret: str) -> DICOMwebClient:
    # Connection: close lets the server thread finish with the socket before the live server stops.
    headers = {"Authorization": f"Token {secret}", "Connection": "close"}
    return DICOMwebClient(url=f"{live_server.url}/dicomweb", headers=headers)


def test_store_instances_references_every_report_and_stores_them(live_server: Any, secret: str) -> None:
    datasets = [pydicom.dcmread(corpus_file(name)) for name in GOOD]
    response = _client(live_server, secret).store_instances(datasets)
    assert "FailedSOPSequence" not in response
    referenced = [
        (item.ReferencedSOPClassUID, item.ReferencedSOPInstanceUID) for item in response.ReferencedSOPSequence
    ]
    assert referenced == [(ds.SOPClassUID, ds.SOPInstanceUID) for ds in datasets]
    assert set(Submission.objects.values_list("channel", "state")) == {(Channel.STOW, "stored")}
    assert Study.objects.count() == 2


def test_store_instances_of_one_study_accepts_its_reports(live_server: Any, secret: str) -> None:
    dataset = pydicom.dcmread(corpus_file("CT-RDSR-Siemens-Multi-2.dcm"))
    response = _client(live_server, secret).store_instances(
        [dataset], study_instance_uid=dataset.StudyInstanceUID
    )
    assert len(response.ReferencedSOPSequence) == 1
