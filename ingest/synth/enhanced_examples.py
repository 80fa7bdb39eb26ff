"""A procedure written both as a classic projection RDSR and as an Enhanced X-Ray Radiation Dose SR.

Both reports are made from the same runs (`enhanced_runs`: a cone-beam CT on a C-arm, a biplane angiography
run), so they share Irradiation Event UIDs and state the same totals, as one device's two reports of a study
would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from pydicom.sr.codedict import codes

from ingest.synth import vocab as v
from ingest.synth.enhanced import (
    AttenuatorSpec,
    DetailsSpec,
    EnhancedReportSpec,
    EventSummarySpec,
    SourceTotalsSpec,
    WindowSpec,
)
from ingest.synth.enhanced_runs import Run, Side
from ingest.synth.spec import (
    DeviceSpec,
    FilterSpec,
    PatientSpec,
    PlaneTotalsSpec,
    ProjectionEventSpec,
    ProjectionReportSpec,
    SiteSpec,
    StudySpec,
)
from ingest.synth.uids import derived_digits, derived_uid

D = codes.DCM
# One filtration for every run: 0.3 mm copper and 1.0 mm aluminium (TID 10055 row 9 thickness).
ATTENUATORS = (
    AttenuatorSpec("Cu 0.3", codes.SCT.Copper, 0.3),
    AttenuatorSpec("Al 1.0", codes.SCT.Aluminum, 1.0),
)


def classic_study(name: str, runs: tuple[Run, ...]) -> StudySpec:
    """The procedure as a classic TID 10001 report (RF), one accumulated plane per side."""
    sides = list(dict.fromkeys(run.plane for run in runs))
    report = ProjectionReportSpec(
        events=tuple(_classic_event(run) for run in runs),
        planes=tuple(_plane_totals(side, [run for run in runs if run.plane == side]) for side in sides),
    )
    return StudySpec(
        study_uid=derived_uid("enhanced-example-study", name),
        series_uid=derived_uid("enhanced-example-series", name),
        sop_uid=derived_uid("enhanced-example-sop", name),
        accession_number=f"ENH{derived_digits(8, name)}",
        study_datetime=runs[0].started,
        description=f"Synthetic {name}",
        modality="RF",
        site=SiteSpec("ENH-01", "Kerma Synthetic Hospital"),
        device=DeviceSpec(
            modality="RF",
            observer_uid=derived_uid("enhanced-example-device", sides == ["single"]),
            manufacturer="Kerma Synthetic",
            model_name="Angio CBCT" if sides == ["single"] else "Angio Biplane",
            serial_number="ENH-0001",
            station_name="ANGIO1",
            software_versions="1.0",
            biplane=sides != ["single"],
        ),
        patient=PatientSpec("ENH-PAT-1", "Synthetic^Enhanced", dt.date(1960, 5, 17), "F", 70.0, 1.65),
        report=report,
    )


def _classic_event(run: Run) -> ProjectionEventSpec:
    return ProjectionEventSpec(
        uid=run.uid,
        started=run.started,
        event_type=run.event_type,
        plane=run.plane,
        protocol=run.protocol,
        target_region=v.HEAD,
        dap_gym2=run.dap_gym2,
        dose_rp_gy=run.dose_rp_gy,
        pulse_rate_per_s=run.technique.pulse_rate_per_s,
        number_of_pulses=run.technique.pulses,
        irradiation_duration_s=run.seconds,
        pulse_width_s=run.technique.pulse_width_s,
        kvp=(run.technique.kvp,),
        tube_current_ma=run.technique.tube_current_ma,
        filters=tuple(FilterSpec(a.material, a.thickness_mm, a.thickness_mm) for a in ATTENUATORS),
    )


def _sum(values: list[float]) -> float | None:
    return sum(values) if values else None


def _plane_totals(side: Side, runs: list[Run]) -> PlaneTotalsSpec:
    fluoro = [run for run in runs if run.fluoroscopy]
    acquired = [run for run in runs if not run.fluoroscopy]
    return PlaneTotalsSpec(
        plane=side,
        dap_total_gym2=_sum([run.dap_gym2 for run in runs]),
        dose_rp_total_gy=_sum([run.dose_rp_gy for run in runs]),
        fluoro_dap_total_gym2=_sum([run.dap_gym2 for run in fluoro]),
        fluoro_dose_rp_total_gy=_sum([run.dose_rp_gy for run in fluoro]),
        fluoro_time_total_s=_sum([run.seconds for run in fluoro]),
        acquisition_dap_total_gym2=_sum([run.dap_gym2 for run in acquired]),
        acquisition_dose_rp_total_gy=_sum([run.dose_rp_gy for run in acquired]),
        acquisition_time_total_s=_sum([run.seconds for run in acquired]),
        reference_point=v.RP_ISOCENTER,
    )


def enhanced_spec(
    study: StudySpec,
    runs: tuple[Run, ...],
    *,
    minimal: bool = False,
    combined_total: bool = False,
    reversed_rows: bool = False,
) -> EnhancedReportSpec:
    """The same procedure as a TID 10040 report: one TID 10041 per source (the plane's letter, "1" alone).

    `minimal` writes only the mandatory rows the tables show (TID 10041 source and DAP total, TID 10042 rows
    2-5 and 8) and no Irradiation Details at all; `combined_total` adds an "A and B" accumulated container
    (TID 10041 row 2 allows one) that must not be counted twice.
    """
    if not isinstance(study.report, ProjectionReportSpec):
        raise TypeError("an enhanced report is made from a projection study (classic_study)")
    sources = tuple(_source(plane, minimal) for plane in study.report.planes)
    if combined_total:
        total = sum(plane.dap_total_gym2 or 0.0 for plane in study.report.planes)
        sources += (SourceTotalsSpec("A and B", dap_total_gym2=total),)
    return EnhancedReportSpec(
        study=study,
        sop_uid=derived_uid("enhanced-example-esr", study.sop_uid, minimal, combined_total, reversed_rows),
        series_uid=derived_uid("enhanced-example-esr-series", study.sop_uid),
        sources=sources,
        events=tuple(_summary(run, minimal) for run in runs),
        details=None if minimal else _details(study, runs),
        reversed_rows=reversed_rows,
    )


def source_of(plane: Side) -> str:
    """The Identification of the X-Ray Source the enhanced report gives a plane's tube."""
    return "1" if plane == "single" else plane


def _source(plane: PlaneTotalsSpec, minimal: bool) -> SourceTotalsSpec:
    if minimal:
        return SourceTotalsSpec(source_of(plane.plane), dap_total_gym2=plane.dap_total_gym2)
    return SourceTotalsSpec(
        source_id=source_of(plane.plane),
        dap_total_gym2=plane.dap_total_gym2,
        fluoro_dap_total_gym2=plane.fluoro_dap_total_gym2,
        acquisition_dap_total_gym2=plane.acquisition_dap_total_gym2,
        fluoro_time_total_s=plane.fluoro_time_total_s,
        acquisition_time_total_s=plane.acquisition_time_total_s,
        dose_rp_total_gy=plane.dose_rp_total_gy,
        fluoro_dose_rp_total_gy=plane.fluoro_dose_rp_total_gy,
        acquisition_dose_rp_total_gy=plane.acquisition_dose_rp_total_gy,
        reference_point=plane.reference_point,
    )


def _summary(run: Run, minimal: bool) -> EventSummarySpec:
    mandatory = EventSummarySpec(run.uid, run.started, run.ended, source_of(run.plane), run.event_type)
    if minimal:
        return mandatory
    return replace(
        mandatory,
        dap_gym2=run.dap_gym2,
        dose_rp_gy=run.dose_rp_gy,
        label=run.protocol,
        rejected=True if run.rejected_for else None,
        reject_reason=run.rejected_for,
        repeated=True if run.repeated_for else None,
        repeat_reason=run.repeated_for,
    )


def _details(study: StudySpec, runs: tuple[Run, ...]) -> DetailsSpec:
    """One window per run (its span and source); the filtration is one window per source for the study."""
    start, end = runs[0].started, max(run.ended for run in runs)
    sources = dict.fromkeys(source_of(run.plane) for run in runs)
    filtration = tuple(WindowSpec(source, start, end, attenuators=ATTENUATORS) for source in sources)
    return DetailsSpec(
        started=start,
        ended=end,
        frame_of_reference_uid=derived_uid("enhanced-example-frame", study.study_uid),
        origin=D.IsocenterOrigin,
        windows=(*filtration, *(_window(run) for run in runs)),
        description="Isocenter of the C-arm; +z from the isocenter towards the detector",
    )


def _window(run: Run) -> WindowSpec:
    return WindowSpec(
        source_id=source_of(run.plane),
        started=run.started,
        ended=run.ended,
        kvp=run.technique.kvp,
        tube_current_ma=run.technique.tube_current_ma,
        pulse_width_s=run.technique.pulse_width_s,
        pulse_rate_per_s=run.technique.pulse_rate_per_s,
        number_of_pulses=run.technique.pulses,
        air_kerma_mgy=run.air_kerma_mgy,
        field_area_m2=run.field_area_m2,
        output_point_mm=run.output_point_mm,
        reference_point_mm=run.reference_point_mm,
        water_equivalent_diameter_mm=run.water_equivalent_diameter_mm,
        protocol=run.protocol,
        target_region=v.HEAD,
    )
