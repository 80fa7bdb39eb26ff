"""A Patient Radiation Dose SR (TID 10030) with an effective dose and organ doses reads back value for value.

The file is written by `ingest.synth.patient_dose` from a synthetic CT report (seed 1: two localizers, then
two spiral scans) and states, in CID 10071's units: effective dose 0.0062 Sv to the entire body, mean absorbed
doses of 0.0148 Gy (lung), 0.0121 Gy (breast), 0.0043 Gy (thyroid) and 0.0061 Gy (stomach).
"""

from __future__ import annotations

from typing import Any

import pytest

from ingest.rdsr import read, read_with_pydicom
from ingest.rdsr.opened import open_file
from ingest.rdsr.reader import read_opened
from ingest.synth import ScenarioConfig, StudySpec, draw_studies, write_bytes
from ingest.synth.patient_dose import patient_dose_bytes
from ingest.synth.patient_dose_examples import organ_dose_spec
from ingest.synth.spec import CtEventSpec

X_RAY_DOSE_SR = "1.2.840.10008.5.1.4.1.1.88.67"


@pytest.fixture(scope="module")
def ct_study() -> StudySpec:
    return next(draw_studies(ScenarioConfig(studies=1, sites=1, seed=1, mix={"CT": 1.0})))


@pytest.fixture(scope="module")
def data(ct_study: StudySpec) -> bytes:
    return patient_dose_bytes(organ_dose_spec(ct_study))


@pytest.fixture(scope="module")
def report(data: bytes) -> dict[str, Any]:
    return read(data).as_dict()


def _by_target(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {estimate["target"]: estimate for estimate in report["estimates"]}


def test_the_report_is_tid_10030_with_no_events_and_no_totals(report: dict[str, Any]) -> None:
    assert report["template"] == "10030"
    assert report["sop_class_uid"] == "1.2.840.10008.5.1.4.1.1.88.73"
    assert report["events"] == [] and report["planes"] == []
    assert set(report["totals"].values()) == {None}


def test_it_belongs_to_the_study_of_the_report_it_used(report: dict[str, Any], ct_study: StudySpec) -> None:
    assert report["study_instance_uid"] == ct_study.study_uid
    assert report["patient"]["id"] == ct_study.patient.patient_id


def test_the_modality_is_assumed_ct_and_said_so(report: dict[str, Any]) -> None:
    assert report["modality"] == "CT"
    assert report["warnings"] == [
        "TID 10030 states no modality; CT assumed (no skin dose map, no radiopharmaceutical report)"
    ]


def test_the_effective_dose_is_in_sieverts(report: dict[str, Any]) -> None:
    effective = _by_target(report)["Entire body"]
    assert (effective["kind"], effective["quantity_code"], effective["quantity"]) == (
        "effective",
        "DCM:113839",
        "Effective Dose",
    )
    assert (effective["dose_sv"], effective["dose_gy"]) == (0.0062, None)
    assert (effective["stated_value"], effective["stated_unit"]) == (0.0062, "Sv")
    assert effective["target_code"] == "SCT:38266002"


@pytest.mark.parametrize(
    ("organ", "code", "dose_gy", "laterality"),
    [
        ("Lung", "SCT:39607008", 0.0148, "Bilateral"),
        ("Breast", "SCT:76752008", 0.0121, "Bilateral"),
        ("Thyroid", "SCT:69748006", 0.0043, None),
        ("Stomach", "SCT:69695003", 0.0061, None),
    ],
)
def test_each_organ_dose_is_a_mean_absorbed_dose_in_grays(
    report: dict[str, Any], organ: str, code: str, dose_gy: float, laterality: str | None
) -> None:
    estimate = _by_target(report)[organ]
    assert (estimate["kind"], estimate["quantity_code"]) == ("absorbed", "DCM:128533")
    assert (estimate["dose_gy"], estimate["dose_sv"], estimate["stated_unit"]) == (dose_gy, None, "Gy")
    assert (estimate["target_code"], estimate["laterality"]) == (code, laterality)


def test_every_value_carries_the_estimate_name_and_no_map(report: dict[str, Any]) -> None:
    assert len(report["estimates"]) == 5
    for estimate in report["estimates"]:
        assert estimate["name"] == "CT organ and effective dose"
        assert estimate["representation"] is None and estimate["representation_data_uid"] is None


def test_the_methodology_names_the_models_method_and_parameters(report: dict[str, Any]) -> None:
    methodology = report["estimates"][0]["methodology"]
    assert methodology["patient_model"] == "Anthropomorphic Model"  # 128404, CID 10064
    assert methodology["transport_model"] == "Voxelized Radiation Transport Model"  # 128422, CID 10065
    assert methodology["model_reference"] == "ICRP Publication 110 adult reference computational phantoms"
    assert methodology["method"] == "Monte Carlo Method"  # (D009010, MSH), CID 10068
    assert methodology["model_demographics"] == [
        {"code": "DCM:128428", "name": "Model Minimum Age", "value": 18.0, "unit": "a"},
        {"code": "DCM:128437", "name": "Model Patient Sex", "value": "Female", "unit": None},
    ]
    assert methodology["parameters"] == [
        {"code": "DCM:128408", "name": "Patient AP Dimension", "value": 220.0, "unit": "mm"},
        {"code": "DCM:128409", "name": "Patient Lateral Dimension", "value": 320.0, "unit": "mm"},
    ]


def test_the_report_used_and_its_two_spiral_events_are_named(
    report: dict[str, Any], ct_study: StudySpec
) -> None:
    events = [event for event in ct_study.report.events if isinstance(event, CtEventSpec)]
    spirals = [event.uid for event in events if event.acquisition_type == "Spiral Acquisition"]
    assert len(spirals) == 2  # the two localizers were left out, so the used events are listed
    assert report["estimates"][0]["sr_instances_used"] == [
        {"sop_instance_uid": ct_study.sop_uid, "sop_class_uid": X_RAY_DOSE_SR, "event_uids": spirals}
    ]


def test_the_device_is_the_software_that_made_the_estimate(report: dict[str, Any]) -> None:
    device = report["device"]
    assert (device["manufacturer"], device["model_name"], device["software_versions"]) == (
        "Kerma Synthetic Dosimetry",
        "OrganDose",
        "1.0",
    )


def test_the_element_stream_and_pydicom_read_the_same_report(data: bytes) -> None:
    assert read_opened(open_file(data, "prdsr")).as_dict() == read_with_pydicom(data).as_dict()


def test_the_other_templates_have_no_estimates(ct_study: StudySpec) -> None:
    assert read(write_bytes(ct_study)).as_dict()["estimates"] == []
