"""A synthetic mammogram's header gives AGD in mGy, laterality, view, compression, anode and filter."""

from __future__ import annotations

from typing import Any

import pytest
from pydicom.uid import BreastProjectionXRayImageStorageForPresentation, BreastTomosynthesisImageStorage

from ingest.rdsr import read
from tests.ingest.rdsr.image_builder import image, mammogram, part10, view

LEFT_CC: dict[str, Any] = {
    "OrganDose": "0.0123",  # dGy → 1.23 mGy
    "EntranceDoseInmGy": "5.4",
    "ImageLaterality": "L",
    "ViewCodeSequence": view("399162004", "cranio-caudal"),
    "ViewPosition": "CC",
    "BodyPartThickness": "52",
    "CompressionForce": "98.5",
    "AnodeTargetMaterial": "TUNGSTEN",
    "FilterMaterial": "RHODIUM",
    "KVP": "29",
    "ExposureInuAs": 95000,
}


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return read(part10(mammogram(**LEFT_CC))).as_dict()


def test_a_mammogram_is_an_mg_report(report: dict[str, Any]) -> None:
    assert report["modality"] == "MG"
    assert report["events"][0]["acquisition_type"] == "Stationary Acquisition"


def test_agd_is_converted_from_dgy_to_mgy(report: dict[str, Any]) -> None:
    assert report["events"][0]["agd_mgy"] == pytest.approx(1.23, rel=1e-9)
    assert any("(0040,0316)" in warning and "dGy" in warning for warning in report["warnings"])


def test_the_left_agd_is_the_left_total(report: dict[str, Any]) -> None:
    assert report["totals"]["agd_total_left_mgy"] == pytest.approx(1.23, rel=1e-9)
    assert report["totals"]["agd_total_right_mgy"] is None


def test_laterality_view_compression_anode_and_filter(report: dict[str, Any]) -> None:
    event = report["events"][0]
    assert (event["laterality"], event["view"]) == ("L", "cranio-caudal")
    assert (event["compression_thickness_mm"], event["compression_force_n"]) == (52.0, 98.5)
    assert (event["entrance_exposure_mgy"], event["kvp"], event["exposure_mas"]) == (5.4, 29.0, 95.0)
    assert event["anode"] == "Tungsten"
    assert [member["material"] for member in event["filters"]] == ["Rhodium"]


def test_view_position_stands_in_for_a_missing_view_code() -> None:
    [event] = read(part10(mammogram(OrganDose="0.01", ViewPosition="MLO"))).as_dict()["events"]
    assert event["view"] == "MLO"


@pytest.mark.parametrize("keyword", ["ImageLaterality", "Laterality"])
def test_the_series_laterality_stands_in_for_the_image_laterality(keyword: str) -> None:
    report = read(part10(mammogram(OrganDose="0.02", **{keyword: "R"}))).as_dict()
    assert report["events"][0]["laterality"] == "R"
    assert report["totals"]["agd_total_right_mgy"] == pytest.approx(2.0)


TOMOSYNTHESIS = [BreastTomosynthesisImageStorage, BreastProjectionXRayImageStorageForPresentation]


@pytest.mark.parametrize("sop_class", TOMOSYNTHESIS)
def test_a_tomosynthesis_image_is_a_rotational_mg_event(sop_class: str) -> None:
    report = read(part10(image(sop_class, Modality="MG", OrganDose="0.015", ImageLaterality="R"))).as_dict()
    assert report["modality"] == "MG"
    assert report["events"][0]["acquisition_type"] == "Rotational Acquisition"
    assert report["events"][0]["agd_mgy"] == pytest.approx(1.5)
