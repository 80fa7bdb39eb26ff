"""A peak skin dose with its skin dose map: the value in grays, the map referenced, the modality RF.

`skin_dose_spec` states a Maximum Absorbed Radiation Dose (128531) of 1.85 Gy to the skin, with Distribution
Representation Skin Dose Map (128485) and the map object as Radiation Dose Representation Data (128414).
"""

from __future__ import annotations

from typing import Any

import pytest

from ingest.rdsr import read
from ingest.synth import ScenarioConfig, StudySpec, draw_studies
from ingest.synth.patient_dose import patient_dose_bytes
from ingest.synth.patient_dose_examples import skin_dose_spec
from ingest.synth.uids import derived_uid


@pytest.fixture(scope="module")
def rf_study() -> StudySpec:
    return next(draw_studies(ScenarioConfig(studies=1, sites=1, seed=3, mix={"RF": 1.0})))


@pytest.fixture(scope="module")
def report(rf_study: StudySpec) -> dict[str, Any]:
    return read(patient_dose_bytes(skin_dose_spec(rf_study))).as_dict()


def test_the_peak_skin_dose_is_1_85_gy_to_the_skin(report: dict[str, Any]) -> None:
    (peak,) = report["estimates"]
    assert (peak["name"], peak["kind"], peak["quantity"]) == (
        "Peak skin dose",
        "absorbed",
        "Maximum Absorbed Radiation Dose",
    )
    assert (peak["dose_gy"], peak["stated_value"], peak["stated_unit"]) == (1.85, 1.85, "Gy")
    assert (peak["target"], peak["target_code"]) == ("Skin", "SCT:39937001")


def test_the_skin_dose_map_is_the_representation_and_its_object_is_referenced(
    report: dict[str, Any], rf_study: StudySpec
) -> None:
    (peak,) = report["estimates"]
    assert peak["representation"] == "Skin Dose Map"
    assert peak["representation_data_uid"] == derived_uid("prdsr-skin-map", rf_study.sop_uid)


def test_the_methodology_is_a_simple_object_with_a_backscatter_factor(report: dict[str, Any]) -> None:
    methodology = report["estimates"][0]["methodology"]
    assert (methodology["patient_model"], methodology["transport_model"]) == (
        "Simple Object Model",
        "Geometric Radiation Transport Model",
    )
    assert methodology["parameters"] == [
        {"code": "DCM:128411", "name": "Backscatter", "value": 1.3, "unit": "1"}
    ]


def test_a_skin_dose_map_makes_the_modality_rf_and_says_it_was_inferred(report: dict[str, Any]) -> None:
    assert report["modality"] == "RF"
    assert report["warnings"] == ["TID 10030 states no modality; RF inferred from its Skin Dose Map (128485)"]
