"""One study in full: totals, reports, events and administrations as the DICOM files state them."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from registry.models import Site
from tests.registry.api.conftest import Store, token_client

pytestmark = pytest.mark.django_db

MULTI = ["CT-RDSR-Siemens-Multi-1.dcm", "CT-RDSR-Siemens-Multi-2.dcm", "CT-RDSR-Siemens-Multi-3.dcm"]


def _detail(client: APIClient, pk: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/studies/{pk}/")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_cumulative_ct_reports_give_the_last_reports_total_and_three_events(
    store: Store, north: Site
) -> None:
    study = _detail(token_client(north), store(*MULTI).pk)
    # Multi-3: 113813 CT Dose Length Product Total 236.09; 113812 Total Number of Irradiation Events 3
    assert study["ct_dlp_total_mgycm"] == pytest.approx(236.09)
    assert study["ct_event_count"] == 3
    assert study["study_date"] == "2018-01-05" and study["modality"] == "CT"
    # Per event (113838 DLP, 113830 Mean CTDIvol), in document order
    assert [(e["dlp_mgycm"], e["ctdivol_mgy"]) for e in study["events"]] == [
        pytest.approx((7.46, 0.15)),
        pytest.approx((69.81, 8.13)),
        pytest.approx((158.82, 7.02)),
    ]
    assert [report["contributes"] for report in study["reports"]] == [False, False, True]
    assert study["reports"][2]["ct_dlp_total_mgycm"] == pytest.approx(236.09)
    assert study["reports"][2]["device"]["manufacturer"] == "SIEMENS"
    assert study["administrations"] == []


def test_a_pet_ct_study_lists_its_administration(store: Store, north: Site) -> None:
    study = _detail(token_client(north), store("NM-RRDSR-Siemens.dcm", "NM-CT-RDSR-Siemens.dcm").pk)
    # 113507 Administered activity 394 MBq in the radiopharmaceutical report
    [administration] = study["administrations"]
    assert administration["administered_activity_mbq"] == pytest.approx(394)
    assert study["administered_activity_mbq"] == pytest.approx(394)
    assert study["modalities"] == "CT,NM" and len(study["events"]) == 2
