"""TID 10043 windows are per source and time span: an event takes levels from every window of its source that
overlaps it, but an amount (pulses, air kerma) only from windows inside it, never another event's share."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ingest.rdsr import DoseReport, read
from ingest.synth.enhanced import WindowSpec, enhanced_bytes
from ingest.synth.enhanced_examples import classic_study, enhanced_spec
from ingest.synth.enhanced_runs import CBCT_RUNS

SPEC = enhanced_spec(classic_study("cbct", CBCT_RUNS), CBCT_RUNS)


@pytest.fixture(scope="module")
def spanning() -> DoseReport:
    """The two spins' technique in one window from the first spin's start to the second spin's end."""
    assert SPEC.details is not None
    first, second = CBCT_RUNS[1], CBCT_RUNS[2]
    both = WindowSpec("1", first.started, second.ended, kvp=90, tube_current_ma=150, number_of_pulses=600)
    kept = tuple(w for w in SPEC.details.windows if w.started < first.started or w.kvp is None)
    return read(enhanced_bytes(replace(SPEC, details=replace(SPEC.details, windows=(*kept, both)))))


def test_a_window_over_two_events_gives_both_its_kvp_and_tube_current(spanning: DoseReport) -> None:
    assert [(event.kvp, event.tube_current_ma) for event in spanning.events] == [
        (70.0, 12.0),
        (90.0, 150.0),
        (90.0, 150.0),
    ]


def test_pulses_of_a_window_over_two_events_are_assigned_to_neither(spanning: DoseReport) -> None:
    assert [event.number_of_pulses for event in spanning.events] == [180.0, None, None]
    assert any("113768" in warning and "more than one event" in warning for warning in spanning.warnings)


def test_a_window_before_an_event_does_not_apply_to_it(spanning: DoseReport) -> None:
    # The fluoroscopy window ends at 10:00:12, before the spins; the spins' window starts after it.
    fluoro = spanning.events[0]
    assert (fluoro.kvp_values, fluoro.pulse_width_s) == ((70.0,), 0.008)
    assert spanning.events[1].pulse_width_s is None
