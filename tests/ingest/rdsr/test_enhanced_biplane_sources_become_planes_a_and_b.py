"""A biplane angiography run in TID 10040: one X-ray source per plane, each event with its source's windows.

Expected values are those of `ingest/synth/enhanced_runs.py` (BIPLANE_RUNS): fluoroscopy 20 s on A (0.001
Gy·m², 3 mGy) and 10 s on B (0.0006 Gy·m², 2 mGy), then one 4 s DSA run on both planes at once (A: 0.004
Gy·m², 12 mGy, 85 kV; B: 0.003 Gy·m², 9 mGy, 88 kV).
"""

from __future__ import annotations

import pytest

from ingest.rdsr import DoseReport, read
from ingest.synth.enhanced import enhanced_bytes
from ingest.synth.enhanced_examples import classic_study, enhanced_spec
from ingest.synth.enhanced_runs import BIPLANE_RUNS

STUDY = classic_study("biplane", BIPLANE_RUNS)


@pytest.fixture(scope="module")
def report() -> DoseReport:
    return read(enhanced_bytes(enhanced_spec(STUDY, BIPLANE_RUNS)))


def test_sources_a_and_b_become_planes_a_and_b_with_their_own_totals(report: DoseReport) -> None:
    plane_a, plane_b = report.planes
    assert (plane_a.plane, plane_b.plane) == ("A", "B")
    assert (plane_a.dap_total_gym2, plane_a.dose_rp_total_gy) == pytest.approx((0.005, 0.015))
    assert (plane_b.dap_total_gym2, plane_b.dose_rp_total_gy) == pytest.approx((0.0036, 0.011))
    assert (plane_a.fluoro_time_total_s, plane_b.fluoro_time_total_s) == (20.0, 10.0)


def test_the_totals_are_summed_over_the_two_sources(report: DoseReport) -> None:
    totals = report.totals
    assert totals.dap_total_gym2 == pytest.approx(0.0086)
    assert totals.dose_rp_total_gy == pytest.approx(0.026)
    assert (totals.fluoro_dap_total_gym2, totals.acquisition_dap_total_gym2) == pytest.approx((0.0016, 0.007))
    assert (totals.fluoro_time_total_s, totals.acquisition_time_total_s) == (30.0, 8.0)
    assert report.modality == "RF"


def test_the_simultaneous_dsa_events_each_take_their_own_sources_technique_and_geometry(
    report: DoseReport,
) -> None:
    dsa_a, dsa_b = report.events[2:]
    assert dsa_a.datetime == dsa_b.datetime == "2024-03-06T11:02:00"
    assert (dsa_a.plane, dsa_a.xray_source, dsa_a.kvp, dsa_a.tube_current_ma) == ("A", "A", 85.0, 300.0)
    assert (dsa_b.plane, dsa_b.xray_source, dsa_b.kvp, dsa_b.tube_current_ma) == ("B", "B", 88.0, 250.0)
    assert (dsa_a.output_point_mm, dsa_b.output_point_mm) == ((0.0, 0.0, -600.0), (-600.0, 0.0, 0.0))
    assert (dsa_a.water_equivalent_diameter_mm, dsa_b.water_equivalent_diameter_mm) == (260.0, 300.0)
    assert (dsa_a.number_of_pulses, dsa_b.number_of_pulses) == (12.0, 12.0)


def test_an_accumulated_container_for_a_and_b_is_not_counted_twice() -> None:
    combined = read(enhanced_bytes(enhanced_spec(STUDY, BIPLANE_RUNS, combined_total=True)))
    assert combined.totals.dap_total_gym2 == pytest.approx(0.0086)
    assert [plane.plane for plane in combined.planes] == ["A", "B"]
    assert any("'A and B'" in warning and "not summed" in warning for warning in combined.warnings)
