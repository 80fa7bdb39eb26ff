"""A synthetic DX image's header values reach the contract in its canonical units; absent ones are null."""

from __future__ import annotations

from typing import Any

import pytest
from pydicom.uid import ComputedRadiographyImageStorage, generate_uid

from ingest.rdsr import read
from tests.ingest.rdsr.image_builder import image, part10


def event_of(**attributes: Any) -> dict[str, Any]:
    [event] = read(part10(image(**attributes))).as_dict()["events"]
    return event


@pytest.mark.parametrize(
    ("attributes", "key", "expected"),
    [
        ({"ImageAndFluoroscopyAreaDoseProduct": "2.5"}, "dap_gym2", 2.5e-5),  # dGy·cm² → Gy·m²
        ({"EntranceDoseInmGy": "0.8"}, "entrance_exposure_mgy", 0.8),  # mGy as it is
        ({"EntranceDose": 3}, "entrance_exposure_mgy", 300.0),  # retired (0040,0302) US in dGy → mGy
        ({"ExposureInuAs": 2500}, "exposure_mas", 2.5),  # µAs → mAs
        ({"Exposure": 3}, "exposure_mas", 3.0),  # mAs alone
        ({"ExposureInuAs": 2500, "Exposure": 2}, "exposure_mas", 2.5),  # the finer one wins
        ({"ExposureTimeInuS": "6400"}, "exposure_time_s", 0.0064),  # µs → s
        ({"ExposureTime": 12}, "exposure_time_s", 0.012),  # ms → s
        ({"ExposureTimeInuS": "6400", "ExposureTime": 6}, "exposure_time_s", 0.0064),
        ({"XRayTubeCurrentInuA": "250000"}, "tube_current_ma", 250.0),  # µA → mA
        ({"KVP": "81"}, "kvp", 81.0),
        ({"DistanceSourceToDetector": "1800"}, "source_image_distance_mm", 1800.0),
        ({"ExposureIndex": "400", "DeviationIndex": "0.4"}, "deviation_index", 0.4),
        ({"TargetExposureIndex": "350", "KVP": "70"}, "target_exposure_index", 350.0),
    ],
)
def test_a_header_value_is_read_in_the_contract_unit(
    attributes: dict[str, Any], key: str, expected: float
) -> None:
    assert event_of(**attributes)[key] == pytest.approx(expected, rel=1e-9)


def test_a_missing_optional_value_is_null_and_the_rest_still_reads() -> None:
    event = event_of(KVP="70", ExposureInuAs=1000)  # no DAP, no entrance dose, no exposure time
    assert event["dap_gym2"] is None
    assert event["entrance_exposure_mgy"] is None
    assert event["exposure_time_s"] is None
    assert (event["kvp"], event["exposure_mas"]) == (70.0, 1.0)


def test_filter_grid_and_filter_type_are_kept() -> None:
    event = event_of(
        KVP="70",
        FilterMaterial=["ALUMINUM", "COPPER"],
        FilterThicknessMinimum=["1.0", "0.1"],
        FilterThicknessMaximum=["1.0", "0.2"],
        FilterType="FLAT",
        Grid=["FOCUSED", "RECIPROCATING"],
    )
    assert event["filters"] == [
        {"material": "Aluminum", "thickness_min_mm": 1.0, "thickness_max_mm": 1.0},
        {"material": "Copper", "thickness_min_mm": 0.1, "thickness_max_mm": 0.2},
    ]
    assert (event["filter_type"], event["grid"]) == ("FLAT", "FOCUSED\\RECIPROCATING")


def test_the_irradiation_event_uid_names_the_event_when_the_header_has_one() -> None:
    uid = generate_uid()
    assert event_of(KVP="70", IrradiationEventUID=uid)["uid"] == uid


def test_the_same_image_read_twice_is_the_same_event() -> None:
    data = part10(image(KVP="70"))
    first, second = read(data).as_dict(), read(data).as_dict()
    assert first["events"][0]["uid"] == second["events"][0]["uid"] == first["sop_instance_uid"]


def test_a_cr_image_is_a_dx_report() -> None:
    report = read(part10(image(ComputedRadiographyImageStorage, Modality="CR", KVP="70"))).as_dict()
    assert (report["modality"], report["events"][0]["kind"]) == ("DX", "projection")


def test_a_value_that_is_not_a_number_is_null_with_a_warning() -> None:
    data = part10(image(KVP="70", ImageAndFluoroscopyAreaDoseProduct="9.75"))
    report = read(data.replace(b"9.75", b"n/a ")).as_dict()  # pydicom will not write an invalid DS
    assert report["events"][0]["dap_gym2"] is None
    assert any("(0018,115E)" in warning and "not a number" in warning for warning in report["warnings"])
