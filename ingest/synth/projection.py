"""The TID 10001 Projection X-Ray content: accumulated dose per plane (TID 10002) and events (TID 10003)."""

from __future__ import annotations

from pydicom.dataset import Dataset
from pydicom.sr.coding import Code

from ingest.synth import items as it
from ingest.synth import vocab as v
from ingest.synth.spec import (
    FilterSpec,
    MammoSpec,
    PlaneTotalsSpec,
    ProjectionEventSpec,
    ProjectionReportSpec,
    VariantSpec,
)

# Scale from the spec's canonical unit (Gy.m2, Gy) to the unit a variant writes.
DAP_SCALE = {"Gy.m2": 1.0, "dGy.cm2": 1e5, "cGy.cm2": 1e6, "mGy.cm2": 1e7}
DOSE_SCALE = {"Gy": 1.0, "mGy": 1e3}


class _Units:
    """The DAP and dose-at-RP units one report is written in, with their scale factors."""

    def __init__(self, variant: VariantSpec) -> None:
        self.dap, self.dap_scale = variant.dap_unit, DAP_SCALE[variant.dap_unit]
        self.dose, self.dose_scale = variant.dose_rp_unit, DOSE_SCALE[variant.dose_rp_unit]

    def dap_num(self, concept: Code, value: float | None) -> list[Dataset]:
        return it.optional_num(concept, value, self.dap, self.dap_scale)

    def dose_num(self, concept: Code, value: float | None) -> list[Dataset]:
        return it.optional_num(concept, value, self.dose, self.dose_scale)


def projection_body(report: ProjectionReportSpec, variant: VariantSpec) -> list[Dataset]:
    """TID 10001 content rows: one TID 10002 container per plane (two for biplane), then TID 10003s."""
    units = _Units(variant)
    planes = [_plane(plane, units) for plane in report.planes]
    if report.agd_totals and planes:
        # TID 10005 rows sit in the (single-plane) TID 10002 container, one per breast (PS3.16 TID 10005).
        planes[0].ContentSequence.extend(_agd_total(side, agd) for side, agd in report.agd_totals)
    return [*planes, *(_event(event, units) for event in report.events)]


def _plane(plane: PlaneTotalsSpec, units: _Units) -> Dataset:
    """TID 10002 Accumulated X-Ray Dose (113702) with the TID 10004 / 10007 rows the spec states."""
    rows = [it.code(v.ACQUISITION_PLANE, v.PLANES[plane.plane], it.HAS_CONCEPT_MOD)]
    rows += units.dap_num(v.DAP_TOTAL, plane.dap_total_gym2)
    rows += units.dose_num(v.DOSE_RP_TOTAL, plane.dose_rp_total_gy)
    rows += units.dap_num(v.FLUORO_DAP_TOTAL, plane.fluoro_dap_total_gym2)
    rows += units.dose_num(v.FLUORO_DOSE_RP_TOTAL, plane.fluoro_dose_rp_total_gy)
    rows += it.optional_num(v.FLUORO_TIME_TOTAL, plane.fluoro_time_total_s, "s")
    rows += units.dap_num(v.ACQUISITION_DAP_TOTAL, plane.acquisition_dap_total_gym2)
    rows += units.dose_num(v.ACQUISITION_DOSE_RP_TOTAL, plane.acquisition_dose_rp_total_gy)
    rows += it.optional_num(v.ACQUISITION_TIME_TOTAL, plane.acquisition_time_total_s, "s")
    rows += it.optional_num(v.TOTAL_FRAMES, plane.total_frames, "1")
    if plane.reference_point is not None:
        rows.append(it.code(v.REFERENCE_POINT_DEFINITION, plane.reference_point))
    return it.container(v.ACCUMULATED_XRAY, rows)


def _agd_total(side: str, agd_mgy: float) -> Dataset:
    """TID 10005 Accumulated Average Glandular Dose (111637), qualified by the breast it belongs to."""
    laterality = it.code(v.LATERALITY, v.BREAST_LATERALITY[side], it.HAS_CONCEPT_MOD)
    return it.num(v.ACCUMULATED_AGD, agd_mgy, "mGy", children=[laterality])


def _event(event: ProjectionEventSpec, units: _Units) -> Dataset:
    """TID 10003 Irradiation Event X-Ray Data (113706), including TID 10003B source and 10003C geometry."""
    rows = [
        it.code(v.ACQUISITION_PLANE, v.PLANES[event.plane], it.HAS_CONCEPT_MOD),
        it.uidref(v.IRRADIATION_EVENT_UID, event.uid),
        it.datetime(v.DATETIME_STARTED, event.started),
        it.code(v.IRRADIATION_EVENT_TYPE, v.EVENT_TYPES[event.event_type]),
        it.text(v.ACQUISITION_PROTOCOL, event.protocol),
        _target_region(event),
    ]
    rows += units.dap_num(v.DAP, event.dap_gym2)
    if event.mammo is not None:
        rows += _mammo_rows(event.mammo)
    rows += units.dose_num(v.DOSE_RP, event.dose_rp_gy)
    rows += _source_rows(event)
    rows += [_filter(f) for f in event.filters]
    rows += it.optional_num(v.PRIMARY_ANGLE, event.primary_angle_deg, "deg")
    rows += it.optional_num(v.SECONDARY_ANGLE, event.secondary_angle_deg, "deg")
    return it.container(v.IRRADIATION_EVENT, rows)


def _target_region(event: ProjectionEventSpec) -> Dataset:
    """Target Region (123014, CID 4031), with a Laterality modifier for paired organs such as the breast."""
    modifiers = []
    if event.laterality is not None:
        modifiers.append(it.code(v.LATERALITY, v.SIDE_LATERALITY[event.laterality], it.HAS_CONCEPT_MOD))
    return it.code(v.TARGET_REGION, event.target_region, children=modifiers)


def _mammo_rows(mammo: MammoSpec) -> list[Dataset]:
    """The mammography rows of TID 10003 (MC when Procedure reported is Mammography)."""
    return [
        it.code(v.IMAGE_VIEW, mammo.view),
        it.num(v.HVL, mammo.hvl_mm, "mm"),
        it.num(v.ENTRANCE_EXPOSURE, mammo.entrance_exposure_mgy, "mGy"),
        it.num(v.AGD, mammo.agd_mgy, "mGy"),
        it.code(v.ANODE, mammo.anode),
        it.num(v.COMPRESSION_THICKNESS, mammo.compression_thickness_mm, "mm"),
    ]


def _source_rows(event: ProjectionEventSpec) -> list[Dataset]:
    """TID 10003B: pulses, kVp, current; Exposure Time is in ms and Exposure in uA.s in projection."""
    rows = []
    if event.event_type == "Fluoroscopy":
        rows.append(it.code(v.FLUORO_MODE, v.PULSED))
    rows += it.optional_num(v.PULSE_RATE, event.pulse_rate_per_s, "{pulse}/s")
    rows += it.optional_num(v.NUMBER_OF_PULSES, event.number_of_pulses, "1")
    rows += it.optional_num(v.IRRADIATION_DURATION, event.irradiation_duration_s, "s")
    rows += it.optional_num(v.PULSE_WIDTH, event.pulse_width_s, "ms", 1e3)
    if event.kvp:
        rows.append(it.num(v.KVP, event.kvp, "kV"))
    rows += it.optional_num(v.TUBE_CURRENT, event.tube_current_ma, "mA")
    rows += it.optional_num(v.EXPOSURE_TIME, event.exposure_time_s, "ms", 1e3)
    rows += it.optional_num(v.EXPOSURE, event.exposure_mas, "uA.s", 1e3)
    return rows


def _filter(spec: FilterSpec) -> Dataset:
    """X-Ray Filters (113771): type, material (CID 10006) and thickness range."""
    rows = [
        it.code(v.FILTER_TYPE, v.FLAT_FILTER),
        it.code(v.FILTER_MATERIAL, spec.material),
        it.num(v.FILTER_THICKNESS_MIN, spec.thickness_min_mm, "mm"),
        it.num(v.FILTER_THICKNESS_MAX, spec.thickness_max_mm, "mm"),
    ]
    return it.container(v.XRAY_FILTERS, rows)
