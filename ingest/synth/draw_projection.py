"""Draw the dose content of radiography, fluoroscopy and mammography examinations (TID 10001)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from ingest.synth import vocab as v
from ingest.synth.draw_ct import DrawContext
from ingest.synth.spec import (
    FilterSpec,
    MammoSpec,
    Plane,
    PlaneTotalsSpec,
    ProjectionEventSpec,
    ProjectionReportSpec,
    sig6,
)
from ingest.synth.typical import DxExam, MgExam, Model, RfExam


def draw_dx(ctx: DrawContext, exam: DxExam, protocol: str) -> ProjectionReportSpec:
    """One stationary acquisition per view; TID 10007 totals (DAP, dose at RP, frame count)."""
    events = []
    for index, view in enumerate(exam.views):
        dap = sig6(ctx.around(view.dap_gym2 * ctx.dose_factor))
        mas = sig6(ctx.around(view.mas * ctx.dose_factor, 0.15))
        current = ctx.rng.choice((320.0, 400.0, 500.0))
        events.append(
            ProjectionEventSpec(
                uid=ctx.event_uid(index),
                started=ctx.start + dt.timedelta(seconds=40 * index),
                event_type="Stationary Acquisition",
                plane="single",
                protocol=protocol,
                target_region=view.region,
                dap_gym2=dap,
                dose_rp_gy=sig6(dap / view.field_m2),
                exposure_time_s=sig6(mas / current),
                exposure_mas=mas,
                number_of_pulses=1,
                kvp=(view.kvp,),
                tube_current_ma=current,
            )
        )
    plane = PlaneTotalsSpec(
        "single",
        dap_total_gym2=_sum(e.dap_gym2 for e in events),
        dose_rp_total_gy=_sum(e.dose_rp_gy for e in events),
        total_frames=len(events),
        reference_point=v.RP_DETECTOR,
    )
    return ProjectionReportSpec(tuple(events), (plane,))


def draw_rf(ctx: DrawContext, exam: RfExam, protocol: str, biplane: bool) -> ProjectionReportSpec:
    """Fluoro and acquisition events sharing the exam's DAP; biplane units alternate Plane A and B."""
    rng = ctx.rng
    kinds = ["Fluoroscopy"] * rng.randint(*exam.fluoro_events)
    kinds += ["Stationary Acquisition"] * rng.randint(*exam.acquisition_events)
    rng.shuffle(kinds)
    dap_total = ctx.around(exam.dap_total_gym2 * ctx.dose_factor, 0.45)
    fluoro_time = ctx.around(exam.fluoro_time_s * ctx.dose_factor, 0.45)
    n_fluoro = kinds.count("Fluoroscopy")
    n_acq = len(kinds) - n_fluoro
    events, clock = [], ctx.start
    for index, kind in enumerate(kinds):
        plane: Plane = ("A", "B")[index % 2] if biplane else "single"
        if kind == "Fluoroscopy":
            share = dap_total * (1 - exam.acquisition_share) / n_fluoro
            event = _fluoro(ctx, index, clock, plane, protocol, exam, share, fluoro_time / n_fluoro)
        else:
            share = dap_total * exam.acquisition_share / n_acq
            event = _acquisition(ctx, index, clock, plane, protocol, exam, share)
        events.append(event)
        clock += dt.timedelta(seconds=(event.irradiation_duration_s or 1.0) + rng.randint(20, 120))
    planes: tuple[Plane, ...] = ("A", "B") if biplane else ("single",)
    return ProjectionReportSpec(tuple(events), tuple(_rf_totals(p, events) for p in planes))


def _fluoro(
    ctx: DrawContext,
    index: int,
    started: dt.datetime,
    plane: Plane,
    protocol: str,
    exam: RfExam,
    dap: float,
    duration: float,
) -> ProjectionEventSpec:
    """A pulsed fluoroscopy run: pulses = rate * duration; exposure time = pulses * pulse width."""
    rate = ctx.rng.choice((7.5, 15.0))
    duration = sig6(ctx.around(duration, 0.3))
    pulses = max(1, round(rate * duration))
    width_s = sig6(ctx.rng.choice((4.0, 5.0, 6.0, 8.0)) / 1000)
    return _projection_event(
        ctx, index, started, plane, protocol, exam, "Fluoroscopy", dap, rate, duration, pulses, width_s, 12.0
    )


def _acquisition(
    ctx: DrawContext, index: int, started: dt.datetime, plane: Plane, protocol: str, exam: RfExam, dap: float
) -> ProjectionEventSpec:
    """A cine run (angiography) or a short series of spot images (gastro-intestinal studies)."""
    rate = 15.0 if exam.cine else 2.0
    duration = sig6(ctx.around(4.5 if exam.cine else 1.0, 0.3))
    pulses = max(1, round(rate * duration))
    width_s = sig6(ctx.rng.choice((6.0, 8.0, 10.0)) / 1000)
    return _projection_event(
        ctx,
        index,
        started,
        plane,
        protocol,
        exam,
        "Stationary Acquisition",
        dap,
        rate,
        duration,
        pulses,
        width_s,
        450.0,
    )


def _projection_event(
    ctx: DrawContext,
    index: int,
    started: dt.datetime,
    plane: Plane,
    protocol: str,
    exam: RfExam,
    kind: str,
    dap: float,
    rate: float,
    duration: float,
    pulses: int,
    width_s: float,
    current_ma: float,
) -> ProjectionEventSpec:
    """The rows fluoroscopy and acquisition events share; dose at the RP = DAP / field area (~0.02 m²)."""
    rng = ctx.rng
    dap = sig6(ctx.around(dap, 0.3))
    current = sig6(ctx.around(current_ma, 0.2))
    exposure_time = sig6(pulses * width_s)
    return ProjectionEventSpec(
        uid=ctx.event_uid(index),
        started=started,
        event_type="Fluoroscopy" if kind == "Fluoroscopy" else "Stationary Acquisition",
        plane=plane,
        protocol=protocol,
        target_region=exam.region,
        dap_gym2=dap,
        dose_rp_gy=sig6(dap / rng.uniform(0.012, 0.03)),
        exposure_time_s=exposure_time,
        exposure_mas=sig6(current * exposure_time),
        pulse_rate_per_s=rate,
        number_of_pulses=pulses,
        irradiation_duration_s=duration,
        pulse_width_s=width_s,
        primary_angle_deg=float(rng.randint(-40, 40)) if exam.cine else 0.0,
        secondary_angle_deg=float(rng.randint(-25, 25)) if exam.cine else 0.0,
        kvp=(float(rng.randint(70, 95)),),
        tube_current_ma=current,
        filters=(FilterSpec(v.COPPER, *(2 * (rng.choice((0.1, 0.2, 0.3, 0.6, 0.9)),))),),
    )


def _rf_totals(plane: Plane, events: list[ProjectionEventSpec]) -> PlaneTotalsSpec:
    """TID 10004 rows of one plane, summed from that plane's events as a device would."""
    mine = [e for e in events if e.plane == plane]
    fluoro = [e for e in mine if e.event_type == "Fluoroscopy"]
    acq = [e for e in mine if e.event_type != "Fluoroscopy"]
    return PlaneTotalsSpec(
        plane,
        dap_total_gym2=_sum(e.dap_gym2 for e in mine),
        dose_rp_total_gy=_sum(e.dose_rp_gy for e in mine),
        fluoro_dap_total_gym2=_sum(e.dap_gym2 for e in fluoro),
        fluoro_dose_rp_total_gy=_sum(e.dose_rp_gy for e in fluoro),
        fluoro_time_total_s=_sum(e.irradiation_duration_s for e in fluoro),
        acquisition_dap_total_gym2=_sum(e.dap_gym2 for e in acq),
        acquisition_dose_rp_total_gy=_sum(e.dose_rp_gy for e in acq),
        acquisition_time_total_s=_sum(e.irradiation_duration_s for e in acq),
        reference_point=v.RP_ISOCENTER,
    )


def draw_mg(ctx: DrawContext, exam: MgExam, protocol: str, model: Model) -> ProjectionReportSpec:
    """One stationary acquisition per view; TID 10005 accumulated AGD per breast = sum of its views."""
    events = []
    for index, (side, view) in enumerate(exam.views):
        thickness = sig6(round(ctx.around(55.0, 0.2)))
        agd = sig6(ctx.around(exam.agd_mgy * ctx.dose_factor * thickness / 55.0, 0.12))
        mas = sig6(round(ctx.around(110.0 * ctx.dose_factor, 0.2)))
        mammo = MammoSpec(
            agd,
            sig6(agd * ctx.rng.uniform(2.8, 3.6)),
            view,
            thickness,
            sig6(ctx.rng.uniform(0.45, 0.6)),
            model.anode,
        )
        events.append(
            ProjectionEventSpec(
                uid=ctx.event_uid(index),
                started=ctx.start + dt.timedelta(seconds=70 * index),
                event_type="Stationary Acquisition",
                plane="single",
                protocol=protocol,
                target_region=v.BREAST,
                laterality="L" if side == "L" else "R",
                exposure_time_s=sig6(mas / 150.0),
                exposure_mas=mas,
                kvp=(float(round(26 + thickness / 10)),),
                tube_current_ma=150.0,
                filters=(FilterSpec(model.mg_filter, 0.05, 0.05),),
                mammo=mammo,
            )
        )
    return ProjectionReportSpec(tuple(events), (PlaneTotalsSpec("single"),), agd_totals(events))


def agd_totals(events: Iterable[ProjectionEventSpec]) -> tuple[tuple[Literal["L", "R"], float], ...]:
    """TID 10005 Accumulated AGD per breast imaged: the sum of that breast's event AGDs."""
    sides: dict[Literal["L", "R"], list[float]] = {}
    for event in events:
        if event.mammo is not None and event.laterality in ("L", "R"):
            sides.setdefault("L" if event.laterality == "L" else "R", []).append(event.mammo.agd_mgy)
    return tuple((side, _sum(sides[side])) for side in ("L", "R") if side in sides)


def _sum(values: Iterable[float | None]) -> float:
    """A stated total: the sum of the values as written, rounded as the writer will write it."""
    return sig6(sum(value or 0.0 for value in values))
