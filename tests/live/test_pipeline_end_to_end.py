"""Every receiving path, through a real Celery worker on Redis into PostgreSQL, ends in a stored study."""

from __future__ import annotations

import pydicom
import pytest
import requests
from dicomweb_client.api import DICOMwebClient
from django.conf import settings
from pynetdicom import AE

from tests.conftest import corpus_file
from tests.live.conftest import LiveSite, get_json, wait_until_final

MULTI = ["CT-RDSR-Siemens-Multi-1.dcm", "CT-RDSR-Siemens-Multi-2.dcm", "CT-RDSR-Siemens-Multi-3.dcm"]
X_RAY_DOSE_SR = "1.2.840.10008.5.1.4.1.1.88.67"


def test_tasks_leave_this_process_for_the_worker() -> None:
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def test_rest_uploads_become_one_study_with_the_cumulative_total(
    web_server: str, live_site: LiveSite
) -> None:
    ids = []
    for name in MULTI:
        with corpus_file(name).open("rb") as upload:
            response = requests.post(
                f"{web_server}/api/v1/submissions/",
                files={"file": (name, upload, "application/dicom")},
                headers={"Authorization": f"Token {live_site.token}"},
                timeout=30,
            )
        assert response.status_code == 202, response.text
        ids.append(response.json()["submissions"][0]["id"])
    assert set(wait_until_final(ids).values()) == {"stored"}
    status = get_json(f"{web_server}/api/v1/submissions/{ids[-1]}/", live_site.token)
    study = get_json(f"{web_server}/api/v1/studies/{status['study']}/", live_site.token)
    # CT Dose Length Product Total (113813) of Multi-3, which covers all three acquisitions
    assert study["ct_dlp_total_mgycm"] == pytest.approx(236.09)
    assert len(study["events"]) == 3  # type: ignore[arg-type]


def test_stow_rs_stores_each_instance(web_server: str, live_site: LiveSite) -> None:
    from ingest.models import Submission

    client = DICOMwebClient(
        url=f"{web_server}/dicomweb", headers={"Authorization": f"Token {live_site.token}"}
    )
    datasets = [pydicom.dcmread(corpus_file(name)) for name in ("RF-RDSR-GE.dcm", "DX-RDSR-Canon_CXDI.dcm")]
    response = client.store_instances(datasets)
    assert len(response.ReferencedSOPSequence) == 2
    ids = Submission.objects.filter(site__code=live_site.code).values_list("pk", flat=True)
    assert set(wait_until_final(ids).values()) == {"stored"}
    # Dose Area Product Total (113722) of the GE surgical C-arm: 0.00024126 Gy.m2
    rf = Submission.objects.get(site__code=live_site.code, sop_instance_uid=datasets[0].SOPInstanceUID)
    assert rf.study is not None and rf.study.dap_total_gym2 == pytest.approx(0.00024126)


def test_c_store_from_a_registered_ae_title_is_stored(dicom_listener: int, live_site: LiveSite) -> None:
    from ingest.models import Submission

    ae = AE(ae_title=live_site.ae_title)
    ae.add_requested_context(X_RAY_DOSE_SR)
    association = ae.associate("127.0.0.1", dicom_listener, ae_title=settings.KERMA_DICOM_AE_TITLE)
    assert association.is_established
    try:
        status = association.send_c_store(pydicom.dcmread(corpus_file("CT-RDSR-Siemens-Continued-1.dcm")))
    finally:
        association.release()
    assert status.Status == 0x0000
    ids = Submission.objects.filter(site__code=live_site.code).values_list("pk", flat=True)
    assert set(wait_until_final(ids).values()) == {"stored"}
    stored = Submission.objects.get(site__code=live_site.code)
    # CT Dose Length Product Total (113813) of Continued-1: 60.17 mGy.cm
    assert stored.calling_ae_title == live_site.ae_title
    assert stored.study is not None and stored.study.ct_dlp_total_mgycm == pytest.approx(60.17)
