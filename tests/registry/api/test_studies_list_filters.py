"""Filters of the studies list, on corpus reports (dates and descriptions read from their headers)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from registry.models import DoseReport, Site
from tests.registry.api.conftest import Store, member_client

pytestmark = pytest.mark.django_db

# StudyDate and StudyDescription of each file, as pydicom reads them.
CORPUS = {
    "CT-RDSR-Siemens-Multi-3.dcm": ("2018-01-05", "Thorax^RTP_4DCT_Thorax_C (Adult)"),
    "DX-RDSR-Canon_CXDI.dcm": ("2016-08-18", "CR THORAX"),
    "MG-RDSR-Hologic_2D.dcm": ("2015-03-22", "Bilateral Mammography"),
    "NM-RRDSR-Siemens.dcm": ("2022-02-24", "PET/CT Ganzkoerper FDG"),
    "NM-CT-RDSR-Siemens.dcm": ("2022-02-24", "PET/CT Ganzkoerper FDG"),
}


@pytest.fixture
def client(store: Store, north: Site, south: Site) -> APIClient:
    store(
        "CT-RDSR-Siemens-Multi-3.dcm",
        "MG-RDSR-Hologic_2D.dcm",
        "NM-RRDSR-Siemens.dcm",
        "NM-CT-RDSR-Siemens.dcm",
    )
    store("DX-RDSR-Canon_CXDI.dcm", site=south)
    return member_client(north, south)


def _descriptions(client: APIClient, **params: str) -> list[str]:
    response = client.get("/api/v1/studies/", params)
    assert response.status_code == 200
    return sorted(study["description"] for study in response.json()["results"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"modality": "CT"}, ["PET/CT Ganzkoerper FDG", "Thorax^RTP_4DCT_Thorax_C (Adult)"]),
        ({"modality": "NM"}, ["PET/CT Ganzkoerper FDG"]),
        ({"modality": "MG"}, ["Bilateral Mammography"]),
        ({"site": "SOUTH-02"}, ["CR THORAX"]),
        (
            {"date_from": "2016-08-18", "date_to": "2018-01-05"},
            ["CR THORAX", "Thorax^RTP_4DCT_Thorax_C (Adult)"],
        ),
        ({"date_from": "2019-01-01"}, ["PET/CT Ganzkoerper FDG"]),
        ({"description": "thorax"}, ["CR THORAX", "Thorax^RTP_4DCT_Thorax_C (Adult)"]),
        ({"modality": "CT", "date_to": "2020-01-01"}, ["Thorax^RTP_4DCT_Thorax_C (Adult)"]),
    ],
)
def test_filters_select_the_matching_studies(
    client: APIClient, params: dict[str, str], expected: list[str]
) -> None:
    assert _descriptions(client, **params) == expected


def test_the_device_filter_selects_the_studies_of_that_unit(client: APIClient) -> None:
    hologic = DoseReport.objects.get(modality="MG").device_id
    assert _descriptions(client, device=str(hologic)) == ["Bilateral Mammography"]


def test_an_unknown_modality_is_400(client: APIClient) -> None:
    assert client.get("/api/v1/studies/", {"modality": "XX"}).status_code == 400
