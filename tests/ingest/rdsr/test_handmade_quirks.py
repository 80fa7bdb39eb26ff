"""Quirks the corpus does not show, each in a small hand-built dose SR read by the real reader."""

from __future__ import annotations

from typing import Any

import pytest
from pydicom.dataset import Dataset

from ingest.rdsr import read
from ingest.rdsr.errors import MalformedError, UnsupportedError
from tests.ingest.rdsr import sr_builder as b


def _plane(plane: Dataset, dap: str, dose: str) -> Dataset:
    return b.container(
        b.ACCUMULATED,
        [
            b.coded(b.PLANE, plane, "HAS CONCEPT MOD"),
            b.num(b.DAP_TOTAL, dap, "Gy.m2"),
            b.num(b.DOSE_RP_TOTAL, dose, "Gy"),
            b.num(b.FLUORO_DAP_TOTAL, "0.0002", "Gy.m2"),
        ],
    )


def _event(uid: str, plane: Dataset, kvp: str, kvp_unit: str = "kV") -> Dataset:
    return b.container(
        b.EVENT,
        [
            b.coded(b.PLANE, plane, "HAS CONCEPT MOD"),
            b.text(b.EVENT_UID, uid, value_type="UIDREF"),
            b.coded(b.EVENT_TYPE, b.FLUOROSCOPY),
            b.num(b.DAP, "0.0001", "Gy.m2"),
            b.num(b.KVP, kvp, kvp_unit),
        ],
    )


def _biplane(template: str | None = "10001") -> dict[str, Any]:
    ds = b.dose_sr(
        [
            b.coded(b.PROCEDURE_REPORTED, b.PROJECTION_XRAY, "HAS CONCEPT MOD"),
            _plane(b.PLANE_A, "0.0030", "0.25"),
            _plane(b.PLANE_B, "0.0012", "0.10"),
            _event("1.2.3.1", b.PLANE_A, "80"),
            _event("1.2.3.2", b.PLANE_B, "95"),
        ],
        template=template,
    )
    return read(b.to_bytes(ds)).as_dict()


def test_biplane_totals_are_summed_over_planes_and_kept_per_plane() -> None:
    report = _biplane()
    assert report["totals"]["dap_total_gym2"] == pytest.approx(0.0042)
    assert report["totals"]["dose_rp_total_gy"] == pytest.approx(0.35)
    assert [(p["plane"], p["dap_total_gym2"]) for p in report["planes"]] == [("A", 0.003), ("B", 0.0012)]


def test_biplane_events_carry_their_plane() -> None:
    assert [event["plane"] for event in _biplane()["events"]] == ["A", "B"]


def test_a_missing_content_template_sequence_is_decided_from_content_and_named() -> None:
    report = _biplane(template=None)
    assert report["template"] == "10001"
    assert report["modality"] == "RF"
    assert any("ContentTemplateSequence" in warning for warning in report["warnings"])


def _single_event_report(**event_kwargs: str) -> dict[str, Any]:
    ds = b.dose_sr(
        [
            b.coded(b.PROCEDURE_REPORTED, b.PROJECTION_XRAY, "HAS CONCEPT MOD"),
            _event("1.2.3.9", b.PLANE_A, **event_kwargs),
        ]
    )
    return read(b.to_bytes(ds)).as_dict()


def test_an_unknown_unit_gives_null_and_a_warning_with_the_unit() -> None:
    report = _single_event_report(kvp="80", kvp_unit="furlongs")
    assert report["events"][0]["kvp"] is None
    assert any("unknown unit" in w and "furlongs" in w for w in report["warnings"])


def test_a_value_in_volts_is_converted_to_kilovolts() -> None:
    report = _single_event_report(kvp="80000", kvp_unit="V")
    assert report["events"][0]["kvp"] == pytest.approx(80.0)


def test_a_value_that_is_not_a_number_is_null_and_named_without_quoting_it() -> None:
    # An invalid DS can only be made by editing the encoded bytes: pydicom refuses to set one.
    encoded = b.to_bytes(
        b.dose_sr(
            [
                b.coded(b.PROCEDURE_REPORTED, b.PROJECTION_XRAY, "HAS CONCEPT MOD"),
                _event("1.2", b.PLANE_A, "1234.5678"),
            ]
        )
    )
    report = read(encoded.replace(b"1234.5678 ", b"Secret^Joe")).as_dict()
    assert report["events"][0]["kvp"] is None
    assert any("113733" in w and "not a number" in w for w in report["warnings"])
    assert not [warning for warning in report["warnings"] if "Secret" in warning]


def test_a_decimal_comma_is_read_as_a_decimal_point() -> None:
    ds = b.dose_sr(
        [
            b.coded(b.PROCEDURE_REPORTED, b.PROJECTION_XRAY, "HAS CONCEPT MOD"),
            _event("1.2", b.PLANE_A, "81.5"),
        ]
    )
    assert read(b.to_bytes(ds).replace(b"81.5", b"81,5")).events[0].kvp == 81.5


def test_a_patient_radiation_dose_report_without_an_estimate_is_unsupported() -> None:
    ds = b.dose_sr(
        [b.text(b.EVENT_UID, "1.2")], root=b.code("128401", "DCM", "Patient Radiation Dose Report")
    )
    with pytest.raises(UnsupportedError, match="TID 10030"):
        read(ds)


def test_a_dose_report_without_content_is_malformed() -> None:
    ds = b.dose_sr([])
    with pytest.raises(MalformedError, match="no content tree"):
        read(ds)
