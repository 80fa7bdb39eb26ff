"""A Patient Radiation Dose SR with every optional row absent still gives each value, and nulls for the rest.

`organ_dose_spec(minimal=True)` writes no estimate name, no Event UID Used (so every event of the CT report
counts as used: TID 10033 row 4), no model reference or demographics rows (the container stays, it is
mandatory), no parameters, no method, no laterality and no comment.
"""

from __future__ import annotations

from typing import Any

import pytest

from ingest.rdsr import read
from ingest.synth import ScenarioConfig, StudySpec, draw_studies
from ingest.synth.patient_dose import patient_dose_bytes
from ingest.synth.patient_dose_examples import organ_dose_spec


@pytest.fixture(scope="module")
def ct_study() -> StudySpec:
    return next(draw_studies(ScenarioConfig(studies=1, sites=1, seed=1, mix={"CT": 1.0})))


@pytest.fixture(scope="module")
def report(ct_study: StudySpec) -> dict[str, Any]:
    return read(patient_dose_bytes(organ_dose_spec(ct_study, minimal=True))).as_dict()


def test_the_five_values_are_read_as_in_the_full_document(report: dict[str, Any]) -> None:
    values = [(e["target"], e["dose_gy"], e["dose_sv"]) for e in report["estimates"]]
    assert values == [
        ("Entire body", None, 0.0062),
        ("Lung", 0.0148, None),
        ("Breast", 0.0121, None),
        ("Thyroid", 0.0043, None),
        ("Stomach", 0.0061, None),
    ]


def test_the_absent_rows_are_null_or_empty(report: dict[str, Any]) -> None:
    for estimate in report["estimates"]:
        assert estimate["name"] is None and estimate["laterality"] is None
        methodology = estimate["methodology"]
        assert methodology["patient_model"] == "Anthropomorphic Model"
        assert methodology["transport_model"] == "Voxelized Radiation Transport Model"
        assert methodology["model_reference"] is None and methodology["method"] is None
        assert methodology["model_demographics"] == [] and methodology["parameters"] == []


def test_no_event_list_means_every_event_of_the_report_was_used(
    report: dict[str, Any], ct_study: StudySpec
) -> None:
    (used,) = report["estimates"][0]["sr_instances_used"]
    assert (used["sop_instance_uid"], used["event_uids"]) == (ct_study.sop_uid, [])


def test_nothing_is_repaired_so_only_the_modality_is_warned_about(report: dict[str, Any]) -> None:
    assert report["warnings"] == [
        "TID 10030 states no modality; CT assumed (no skin dose map, no radiopharmaceutical report)"
    ]
