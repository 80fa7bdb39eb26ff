"""A device that sends a classic RDSR and an Enhanced X-Ray Radiation Dose SR of one study: events are
combined by Irradiation Event UID (registry/store.py), so each counts once, whichever report comes first,
and the study's totals are those one report states, not twice them.

Both reports are made from the same runs (`ingest/synth/enhanced_runs.py`): the cone-beam CT's three events
(DAP 0.0012 + 0.015 + 0.015 = 0.0312 Gy·m², 4 + 45 + 45 = 94 mGy at the RP) and the biplane run's four
(A 0.005 + B 0.0036 = 0.0086 Gy·m²).
"""

from __future__ import annotations

import pytest

from ingest.models import State
from ingest.synth.enhanced import enhanced_bytes
from ingest.synth.enhanced_examples import classic_study, enhanced_spec
from ingest.synth.enhanced_runs import BIPLANE_RUNS, CBCT_RUNS
from ingest.synth.writer import write_bytes
from registry.models import IrradiationEvent, Study
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db

CBCT = classic_study("cbct", CBCT_RUNS)
CLASSIC = write_bytes(CBCT)
ENHANCED = enhanced_bytes(enhanced_spec(CBCT, CBCT_RUNS))


def test_the_enhanced_report_after_the_classic_one_takes_its_events_over(send: Send) -> None:
    # It states the same three events with their details: it replaces the classic report, which it repeats
    # in full, instead of being kept for audit only (registry/store_later.py, docs/dose-objects.md).
    first = send("classic.dcm", data=CLASSIC)
    second = send("enhanced.dcm", data=ENHANCED)
    assert (first.state, first.outcome) == (State.STORED, "created")
    assert (second.state, second.outcome) == (State.STORED, "added")
    study = Study.objects.get()
    assert study.reports.count() == 2
    assert list(study.reports.filter(contributes=True).values_list("template", flat=True)) == ["10040"]


def test_the_classic_report_after_the_enhanced_one_is_kept_for_audit_only(send: Send) -> None:
    send("enhanced.dcm", data=ENHANCED)
    classic = send("classic.dcm", data=CLASSIC)
    assert (classic.state, classic.outcome) == (State.STORED, "audit_only")
    assert list(Study.objects.get().reports.filter(contributes=True).values_list("template", flat=True)) == [
        "10040"
    ]


@pytest.mark.parametrize(
    "order", [(CLASSIC, ENHANCED), (ENHANCED, CLASSIC)], ids=["classic first", "enhanced first"]
)
def test_the_stored_events_keep_the_enhanced_reports_details(send: Send, order: tuple[bytes, ...]) -> None:
    for index, data in enumerate(order):
        send(f"report-{index}.dcm", data=data)
    rejected = IrradiationEvent.objects.get(rejected=True)
    assert rejected.reject_reason == "Motion blur"  # CID 7011, as the enhanced report states it
    assert IrradiationEvent.objects.get(repeated=True).repeat_reason == "Patient motion"
    started, ended = rejected.started_at, rejected.ended_at
    assert started is not None and ended is not None and ended > started
    assert (rejected.field_area_m2, rejected.output_air_kerma_mgy) == (0.0225, 55.2)
    assert rejected.water_equivalent_diameter_mm == 180.0
    assert rejected.geometry["output_point_mm"] == [0.0, 0.0, -600.0]
    assert rejected.geometry["frame_of_reference_origin"] == "Isocenter Origin"


@pytest.mark.parametrize(
    "order", [(CLASSIC, ENHANCED), (ENHANCED, CLASSIC)], ids=["classic first", "enhanced first"]
)
def test_each_event_is_counted_once_and_the_study_total_is_one_reports(
    send: Send, order: tuple[bytes, ...]
) -> None:
    for index, data in enumerate(order):
        send(f"report-{index}.dcm", data=data)
    study = Study.objects.get()
    uids = list(IrradiationEvent.objects.values_list("uid", flat=True))
    assert sorted(uids) == sorted(run.uid for run in CBCT_RUNS)
    assert study.dap_total_gym2 == pytest.approx(0.0312)
    assert study.dose_rp_total_gy == pytest.approx(0.094)
    assert study.fluoro_time_total_s == pytest.approx(12.0)
    assert study.modalities == "RF"


def test_the_events_of_a_biplane_run_are_counted_once_across_the_two_reports(send: Send) -> None:
    biplane = classic_study("biplane", BIPLANE_RUNS)
    send("enhanced.dcm", data=enhanced_bytes(enhanced_spec(biplane, BIPLANE_RUNS)))
    send("classic.dcm", data=write_bytes(biplane))
    study = Study.objects.get()
    assert study.events.count() == 4
    assert sorted(study.events.values_list("plane", flat=True)) == ["A", "A", "B", "B"]
    assert study.dap_total_gym2 == pytest.approx(0.0086)
