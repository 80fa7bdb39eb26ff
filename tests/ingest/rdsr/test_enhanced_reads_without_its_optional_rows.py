"""TID 10040 rows the tables mark optional (U) or conditional may be absent: the report still reads, as null.

The minimal biplane report keeps only TID 10041 rows 2 and 11 (source, DAP total) and TID 10042 rows 2-5 and 8
(UID, start, end, source, event type), and has no Irradiation Details (TID 10043) at all.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from ingest.rdsr import DoseReport, read
from ingest.synth.enhanced import enhanced_bytes
from ingest.synth.enhanced_examples import classic_study, enhanced_spec
from ingest.synth.enhanced_runs import BIPLANE_RUNS, CBCT_RUNS

BIPLANE = classic_study("biplane", BIPLANE_RUNS)


@pytest.fixture(scope="module")
def minimal() -> DoseReport:
    return read(enhanced_bytes(enhanced_spec(BIPLANE, BIPLANE_RUNS, minimal=True)))


def test_only_the_stated_dap_totals_are_read_and_the_other_totals_are_null(minimal: DoseReport) -> None:
    assert [(plane.plane, plane.dap_total_gym2) for plane in minimal.planes] == [("A", 0.005), ("B", 0.0036)]
    assert minimal.totals.dap_total_gym2 == pytest.approx(0.0086)
    assert minimal.totals.dose_rp_total_gy is None
    assert minimal.totals.fluoro_time_total_s is None
    assert minimal.planes[0].reference_point_definition is None


def test_events_keep_their_mandatory_rows_and_the_rest_is_null(minimal: DoseReport) -> None:
    first = minimal.events[0]
    assert (first.uid, first.plane, first.acquisition_type) == (BIPLANE_RUNS[0].uid, "A", "Fluoroscopy")
    assert (first.datetime, first.datetime_ended) == ("2024-03-06T11:00:00", "2024-03-06T11:00:20")
    assert (first.dap_gym2, first.dose_rp_gy, first.repeated, first.rejected) == (None, None, None, None)


def test_without_irradiation_details_an_event_has_no_technique_filters_or_geometry(
    minimal: DoseReport,
) -> None:
    for event in minimal.events:
        assert (event.kvp, event.tube_current_ma, event.number_of_pulses, event.field_area_m2) == (None,) * 4
        assert (event.filters, event.kvp_values) == ((), ())
        assert (event.frame_of_reference_uid, event.output_point_mm, event.reference_point_mm) == (None,) * 3
    assert minimal.warnings == ()


def test_a_report_without_accumulated_dose_data_has_null_totals_and_says_so() -> None:
    spec = replace(enhanced_spec(classic_study("cbct", CBCT_RUNS), CBCT_RUNS), sources=())
    report = read(enhanced_bytes(spec))
    assert report.planes == ()
    assert report.totals.dap_total_gym2 is None
    assert [event.plane for event in report.events] == ["single"] * 3
    assert any("130500" in warning for warning in report.warnings)
