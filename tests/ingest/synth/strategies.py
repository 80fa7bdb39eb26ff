"""Hypothesis strategies for `StudySpec`s: any modality, unit variants, biplane, multi-valued kVp."""

from __future__ import annotations

import datetime as dt
from typing import get_args

from hypothesis import strategies as st

from ingest.synth import vocab as v
from ingest.synth.draw_projection import agd_totals
from ingest.synth.spec import (
    CtAcquisitionType,
    CtEventSpec,
    CtReportSpec,
    CtSourceSpec,
    DeviceSpec,
    FilterSpec,
    MammoSpec,
    Modality,
    PatientSpec,
    Plane,
    PlaneTotalsSpec,
    ProjectionEventSpec,
    ProjectionEventType,
    ProjectionReportSpec,
    SiteSpec,
    StudySpec,
    VariantSpec,
    sig6,
)
from ingest.synth.uids import derived_uid

text = st.text(st.characters(min_codepoint=0x41, max_codepoint=0x5A), min_size=1, max_size=20)
uids = st.integers(0, 10**9).map(lambda n: derived_uid("test", n))
regions = st.sampled_from([v.HEAD, v.CHEST, v.ABDOMEN, v.PELVIS, v.HEART, v.ESOPHAGUS])
moments = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2030, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)


def values(low: float, high: float) -> st.SearchStrategy[float]:
    """Floats as the writer stores them: six significant digits."""
    return st.floats(low, high, allow_nan=False).map(sig6)


def maybe(strategy: st.SearchStrategy[float]) -> st.SearchStrategy[float | None]:
    return st.none() | strategy


@st.composite
def ct_sources(draw: st.DrawFn) -> tuple[CtSourceSpec, ...]:
    count = draw(st.integers(1, 2))
    return tuple(
        CtSourceSpec(
            tube,
            draw(values(70, 150)),
            draw(values(1, 900)),
            draw(values(1, 1200)),
            draw(maybe(values(0.25, 2))),
        )
        for tube in "AB"[:count]
    )


@st.composite
def ct_events(draw: st.DrawFn) -> CtEventSpec:
    kind = draw(st.sampled_from(get_args(CtAcquisitionType)))
    ctdivol = draw(maybe(values(0.01, 200)))
    return CtEventSpec(
        uid=draw(uids),
        protocol=draw(text),
        target_region=draw(regions),
        acquisition_type=kind,
        exposure_time_s=draw(values(0.1, 60)),
        scanning_length_mm=draw(values(10, 2000)),
        single_collimation_mm=draw(values(0.5, 10)),
        total_collimation_mm=draw(values(0.5, 160)),
        pitch=draw(maybe(values(0.1, 3))),
        sources=draw(ct_sources()),
        ctdivol_mgy=ctdivol,
        dlp_mgycm=None if ctdivol is None else draw(values(0.01, 5000)),
        phantom=None if ctdivol is None else draw(st.sampled_from(["head16", "body32"])),
    )


@st.composite
def ct_reports(draw: st.DrawFn) -> CtReportSpec:
    return CtReportSpec(tuple(draw(st.lists(ct_events(), min_size=1, max_size=4))), draw(values(0.1, 10000)))


kvps = st.lists(st.just(0.0) | values(40, 150), min_size=1, max_size=5).filter(any)


@st.composite
def projection_events(draw: st.DrawFn, modality: Modality, planes: tuple[Plane, ...]) -> ProjectionEventSpec:
    kinds: list[ProjectionEventType] = [
        "Stationary Acquisition",
        "Stepping Acquisition",
        "Rotational Acquisition",
    ]
    kind: ProjectionEventType = (
        "Fluoroscopy" if modality == "RF" and draw(st.booleans()) else draw(st.sampled_from(kinds))
    )
    mammo = None
    if modality == "MG":
        mammo = MammoSpec(
            draw(values(0.1, 10)),
            draw(values(0.5, 40)),
            draw(st.sampled_from([v.CRANIO_CAUDAL, v.MEDIO_LATERAL_OBLIQUE])),
            draw(values(10, 120)),
            draw(values(0.2, 1)),
            draw(st.sampled_from([v.TUNGSTEN, v.MOLYBDENUM, v.RHODIUM])),
        )
    return ProjectionEventSpec(
        uid=draw(uids),
        started=draw(moments),
        event_type=kind,
        plane=draw(st.sampled_from(planes)),
        protocol=draw(text),
        target_region=v.BREAST if mammo else draw(regions),
        laterality=draw(st.sampled_from(["L", "R", "B"])) if mammo else None,
        dap_gym2=None if mammo else draw(maybe(values(1e-7, 0.05))),
        dose_rp_gy=None if mammo else draw(maybe(values(1e-6, 5))),
        exposure_time_s=draw(maybe(values(0.001, 60))),
        exposure_mas=draw(maybe(values(0.01, 500))),
        pulse_rate_per_s=draw(maybe(values(0.5, 30))),
        number_of_pulses=draw(st.none() | st.integers(1, 5000)),
        irradiation_duration_s=draw(maybe(values(0.001, 600))),
        pulse_width_s=draw(maybe(values(0.001, 0.02))),
        primary_angle_deg=draw(maybe(values(-120, 120))),
        secondary_angle_deg=draw(maybe(values(-60, 60))),
        kvp=tuple(draw(kvps)),
        tube_current_ma=draw(maybe(values(0.5, 1000))),
        filters=tuple(
            draw(
                st.lists(
                    st.builds(
                        FilterSpec, st.sampled_from([v.COPPER, v.ALUMINUM]), values(0, 2), values(0, 2)
                    ),
                    max_size=2,
                )
            )
        ),
        mammo=mammo,
    )


@st.composite
def plane_totals(draw: st.DrawFn, plane: Plane, modality: Modality) -> PlaneTotalsSpec:
    if modality == "MG":
        return PlaneTotalsSpec(plane)
    fluoro = modality == "RF"
    dap, dose, time = values(1e-7, 0.1), values(1e-6, 10), values(0.1, 3600)
    return PlaneTotalsSpec(
        plane,
        dap_total_gym2=draw(maybe(dap)),
        dose_rp_total_gy=draw(maybe(dose)),
        fluoro_dap_total_gym2=draw(maybe(dap)) if fluoro else None,
        fluoro_dose_rp_total_gy=draw(maybe(dose)) if fluoro else None,
        fluoro_time_total_s=draw(maybe(time)) if fluoro else None,
        acquisition_dap_total_gym2=draw(maybe(dap)) if fluoro else None,
        acquisition_dose_rp_total_gy=draw(maybe(dose)) if fluoro else None,
        acquisition_time_total_s=draw(maybe(time)) if fluoro else None,
        total_frames=draw(st.none() | st.integers(1, 500)),
        reference_point=draw(st.sampled_from([None, v.RP_ISOCENTER, v.RP_DETECTOR])),
    )


@st.composite
def projection_reports(draw: st.DrawFn, modality: Modality) -> ProjectionReportSpec:
    planes: tuple[Plane, ...] = ("A", "B") if modality == "RF" and draw(st.booleans()) else ("single",)
    events = tuple(draw(st.lists(projection_events(modality, planes), min_size=1, max_size=4)))
    totals = tuple(draw(plane_totals(plane, modality)) for plane in planes)
    return ProjectionReportSpec(events, totals, agd_totals(events) if modality == "MG" else ())


@st.composite
def studies(draw: st.DrawFn) -> StudySpec:
    modality = draw(st.sampled_from(get_args(Modality)))
    report = draw(ct_reports()) if modality == "CT" else draw(projection_reports(modality))
    born = draw(st.dates(dt.date(1920, 1, 1), dt.date(1999, 12, 31)))
    return StudySpec(
        study_uid=draw(uids),
        series_uid=draw(uids),
        sop_uid=draw(uids),
        accession_number="A" + str(draw(st.integers(0, 10**12))),
        study_datetime=draw(moments).replace(year=2024),
        description=draw(text),
        modality=modality,
        site=SiteSpec("S01", draw(text)),
        device=DeviceSpec(modality, draw(uids), draw(text), draw(text), draw(text), draw(text), draw(text)),
        patient=PatientSpec(
            draw(text),
            "SYNTHETIC^PATIENT",
            born,
            draw(st.sampled_from(["M", "F", "O"])),
            draw(values(45, 120)),
            draw(values(1.4, 2.0)),
        ),
        report=report,
        variant=VariantSpec(
            draw(st.sampled_from(["Gy.m2", "dGy.cm2", "cGy.cm2", "mGy.cm2"])),
            draw(st.sampled_from(["Gy", "mGy"])),
            draw(st.booleans()),
        ),
    )
