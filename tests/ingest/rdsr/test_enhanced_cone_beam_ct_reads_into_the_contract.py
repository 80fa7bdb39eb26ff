"""A cone-beam CT on a C-arm, as an Enhanced X-Ray Radiation Dose SR (TID 10040), reads into the contract.

Expected values are the numbers written in `ingest/synth/enhanced_runs.py` (CBCT_RUNS): fluoroscopy 12 s
(DAP 0.0012 Gy·m², 4 mGy at the RP), then two 5 s rotational acquisitions of 0.015 Gy·m² and 45 mGy each.
"""

from __future__ import annotations

import pytest
from pydicom.uid import EnhancedXRayRadiationDoseSRStorage

from ingest.rdsr import DoseReport, read, read_with_pydicom
from ingest.rdsr.opened import open_file
from ingest.rdsr.reader import read_opened
from ingest.synth.enhanced import enhanced_bytes
from ingest.synth.enhanced_examples import classic_study, enhanced_spec
from ingest.synth.enhanced_runs import CBCT_RUNS


@pytest.fixture(scope="module")
def data() -> bytes:
    return enhanced_bytes(enhanced_spec(classic_study("cbct", CBCT_RUNS), CBCT_RUNS))


@pytest.fixture(scope="module")
def report(data: bytes) -> DoseReport:
    return read(data)


def test_the_enhanced_class_is_read_as_template_10040_and_fluoroscopy_makes_it_rf(report: DoseReport) -> None:
    assert report.sop_class_uid == EnhancedXRayRadiationDoseSRStorage
    assert (report.template, report.modality) == ("10040", "RF")
    assert report.warnings == ()


def test_the_one_x_ray_source_is_the_single_plane_with_its_stated_totals(report: DoseReport) -> None:
    (plane,) = report.planes
    assert plane.plane == "single"
    assert plane.reference_point_definition == "15cm from Isocenter toward Source"
    totals = report.totals
    # 0.0012 + 0.015 + 0.015 Gy·m², 4 + 45 + 45 mGy; fluoroscopy 12 s, acquisitions 2 x 5 s
    assert totals.dap_total_gym2 == pytest.approx(0.0312)
    assert totals.dose_rp_total_gy == pytest.approx(0.094)
    assert (totals.fluoro_dap_total_gym2, totals.fluoro_dose_rp_total_gy) == pytest.approx((0.0012, 0.004))
    assert (totals.acquisition_dap_total_gym2, totals.acquisition_dose_rp_total_gy) == pytest.approx(
        (0.03, 0.09)
    )
    assert (totals.fluoro_time_total_s, totals.acquisition_time_total_s) == (12.0, 10.0)


def test_each_summary_gives_an_event_with_its_span_source_type_and_dose(report: DoseReport) -> None:
    assert [event.uid for event in report.events] == [run.uid for run in CBCT_RUNS]
    fluoro, spin, _ = report.events
    assert [event.acquisition_type for event in report.events] == [
        "Fluoroscopy",
        "Rotational Acquisition",
        "Rotational Acquisition",
    ]
    assert (spin.datetime, spin.datetime_ended) == ("2024-03-05T10:02:00", "2024-03-05T10:02:05")
    assert (spin.kind, spin.plane, spin.xray_source) == ("projection", "single", "1")
    assert (spin.dap_gym2, spin.dose_rp_gy) == (0.015, 0.045)
    assert (fluoro.dap_gym2, fluoro.dose_rp_gy) == (0.0012, 0.004)


def test_the_rejected_spin_and_its_repeat_carry_their_flags_and_coded_reasons(report: DoseReport) -> None:
    fluoro, rejected, repeat = report.events
    assert (rejected.rejected, rejected.reject_reason, rejected.repeated) == (True, "Motion blur", None)
    assert (repeat.repeated, repeat.repeat_reason, repeat.rejected) == (True, "Patient motion", None)
    assert (fluoro.repeated, fluoro.rejected) == (None, None)


def test_the_technique_of_the_spin_window_is_the_spins(report: DoseReport) -> None:
    spin = report.events[1]
    assert (spin.kvp, spin.tube_current_ma, spin.pulse_width_s) == (90.0, 150.0, 0.006)
    assert (spin.pulse_rate_per_s, spin.number_of_pulses) == (60.0, 300.0)
    assert (spin.kvp_values, spin.tube_current_ma_values, spin.pulse_width_s_values) == (
        (90.0,),
        (150.0,),
        (0.006,),
    )
    assert (spin.protocol, spin.target_region) == ("3D Head CBCT", "Head")


def test_the_study_long_filtration_applies_to_every_event(report: DoseReport) -> None:
    for event in report.events:
        assert [(f.material, f.thickness_min_mm, f.thickness_max_mm) for f in event.filters] == [
            ("Copper", 0.3, 0.3),
            ("Aluminum", 1.0, 1.0),
        ]


def test_geometry_is_kept_with_the_event_in_its_frame_of_reference(report: DoseReport) -> None:
    study = classic_study("cbct", CBCT_RUNS)
    details = enhanced_spec(study, CBCT_RUNS).details
    assert details is not None
    spin = report.events[1]
    assert spin.frame_of_reference_uid == details.frame_of_reference_uid
    assert spin.frame_of_reference_origin == "Isocenter Origin"
    assert spin.output_point_mm == (0.0, 0.0, -600.0)
    assert spin.reference_point_mm == (0.0, 0.0, -150.0)
    assert (spin.field_area_m2, spin.output_air_kerma_mgy) == (0.0225, 55.2)
    assert (spin.water_equivalent_diameter_mm, spin.patient_equivalent_thickness_mm) == (180.0, None)


def test_the_points_are_lists_of_three_numbers_in_the_json_form(report: DoseReport) -> None:
    event = report.as_dict()["events"][0]
    assert event["output_point_mm"] == [0.0, 0.0, -600.0]
    assert event["datetime_ended"] == "2024-03-05T10:00:12"


def test_the_element_stream_and_pydicom_give_the_same_report(data: bytes) -> None:
    # read_opened raises where the stream cannot read the file, so this is the stream's own report.
    assert read_opened(open_file(data, "cbct.dcm")) == read_with_pydicom(data)
