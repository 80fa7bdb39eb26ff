"""TID 10001 Projection X-Ray: accumulated dose per plane (TID 10002 with 10004-10007) and events (TID 10003).

One template serves fluoroscopy, angiography, radiography and mammography; biplane systems send one
accumulated container per plane. The accumulation sub-template (10004 vs 10007) says nothing about the
modality (Canon CXDI uses the fluoroscopy shape), so every total is read wherever it is stated.
"""

from __future__ import annotations

from typing import Literal

from ingest.rdsr import codes
from ingest.rdsr.materials import material_name
from ingest.rdsr.model import Event, Filter, Plane, Totals
from ingest.rdsr.tree import Item
from ingest.rdsr.units import Quantity
from ingest.rdsr.values import (
    Measured,
    Notes,
    coded,
    count,
    iso_datetime,
    meaning,
    measure,
    measure_items,
    number,
    text,
)

PlaneName = Literal["A", "B", "single"]
_PLANES: dict[codes.Concept, PlaneName] = {codes.PLANE_A: "A", codes.PLANE_B: "B"}


def _plane(container: Item, notes: Notes) -> PlaneName:
    item = coded(container, codes.ACQUISITION_PLANE, notes)
    return _PLANES.get(item.code, "single") if item and item.code else "single"


def _dap(container: Item | None, wanted: codes.Concept, notes: Notes) -> float | None:
    return number(container, wanted, Quantity.DAP, "Gy.m2", notes)


def _dose_rp(container: Item | None, wanted: codes.Concept, notes: Notes) -> float | None:
    return number(container, wanted, Quantity.DOSE_GY, "Gy", notes)


def _seconds(container: Item | None, wanted: codes.Concept, notes: Notes) -> float | None:
    return number(container, wanted, Quantity.TIME_S, "s", notes)


def plane_totals(container: Item, notes: Notes) -> Plane:
    """One Accumulated X-Ray Dose Data container (113702)."""
    return Plane(
        plane=_plane(container, notes),
        dap_total_gym2=_dap(container, codes.DAP_TOTAL, notes),
        dose_rp_total_gy=_dose_rp(container, codes.DOSE_RP_TOTAL, notes),
        fluoro_dap_total_gym2=_dap(container, codes.FLUORO_DAP_TOTAL, notes),
        fluoro_dose_rp_total_gy=_dose_rp(container, codes.FLUORO_DOSE_RP_TOTAL, notes),
        fluoro_time_total_s=_seconds(container, codes.FLUORO_TIME_TOTAL, notes),
        acquisition_dap_total_gym2=_dap(container, codes.ACQUISITION_DAP_TOTAL, notes),
        acquisition_dose_rp_total_gy=_dose_rp(container, codes.ACQUISITION_DOSE_RP_TOTAL, notes),
        acquisition_time_total_s=_seconds(container, codes.ACQUISITION_TIME_TOTAL, notes),
        reference_point_definition=text(container, codes.REFERENCE_POINT_DEFINITION),
    )


def _sum(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def _agd_totals(containers: list[Item], notes: Notes) -> tuple[float | None, float | None]:
    left: list[float | None] = []
    right: list[float | None] = []
    for container in containers:
        for item in container.all(codes.ACCUMULATED_AGD):
            side = coded(item, codes.LATERALITY, notes)
            value = measure_items([item], Quantity.DOSE_MGY, "mGy", notes)
            if side is not None and side.code in codes.LEFT_SIDE:
                left.append(value.value)
            elif side is not None and side.code in codes.RIGHT_SIDE:
                right.append(value.value)
    return _sum(left), _sum(right)


def projection_totals(root: Item, notes: Notes) -> tuple[Totals, tuple[Plane, ...]]:
    """Totals summed over planes (the contract's rule) and the per-plane figures."""
    containers = root.all(codes.ACCUMULATED_XRAY_DOSE)
    planes = tuple(plane_totals(container, notes) for container in containers)
    left, right = _agd_totals(containers, notes)
    return planes_summed(planes, agd_left_mgy=left, agd_right_mgy=right), planes


def planes_summed(
    planes: tuple[Plane, ...], *, agd_left_mgy: float | None = None, agd_right_mgy: float | None = None
) -> Totals:
    """The report's totals: each plane's (or X-ray source's) stated totals summed in document order, the
    contract's rule for every projection report, classic (TID 10001) or enhanced (TID 10040)."""
    return Totals(
        dap_total_gym2=_sum([plane.dap_total_gym2 for plane in planes]),
        dose_rp_total_gy=_sum([plane.dose_rp_total_gy for plane in planes]),
        fluoro_dap_total_gym2=_sum([plane.fluoro_dap_total_gym2 for plane in planes]),
        fluoro_dose_rp_total_gy=_sum([plane.fluoro_dose_rp_total_gy for plane in planes]),
        fluoro_time_total_s=_sum([plane.fluoro_time_total_s for plane in planes]),
        acquisition_dap_total_gym2=_sum([plane.acquisition_dap_total_gym2 for plane in planes]),
        acquisition_dose_rp_total_gy=_sum([plane.acquisition_dose_rp_total_gy for plane in planes]),
        acquisition_time_total_s=_sum([plane.acquisition_time_total_s for plane in planes]),
        agd_total_left_mgy=agd_left_mgy,
        agd_total_right_mgy=agd_right_mgy,
    )


def _laterality(event: Item, notes: Notes) -> Literal["L", "R", "B"] | None:
    for region in (codes.TARGET_REGION, codes.ANATOMICAL_STRUCTURE):
        holder = event.first(region)
        side = coded(holder, codes.LATERALITY, notes) if holder else None
        if side is None or side.code is None:
            continue
        if side.code in codes.LEFT_SIDE:
            return "L"
        if side.code in codes.RIGHT_SIDE:
            return "R"
        if side.code in codes.BOTH_SIDES:
            return "B"
    return None


def _filters(event: Item, notes: Notes) -> tuple[Filter, ...]:
    return tuple(
        Filter(
            material=material_name(meaning(container, codes.FILTER_MATERIAL, notes)),
            thickness_min_mm=number(container, codes.FILTER_THICKNESS_MIN, Quantity.LENGTH_MM, "mm", notes),
            thickness_max_mm=number(container, codes.FILTER_THICKNESS_MAX, Quantity.LENGTH_MM, "mm", notes),
        )
        for container in event.all(codes.XRAY_FILTERS)
    )


def _exposure_time(event: Item, pulses: float | None, pulse_width: Measured, notes: Notes) -> float | None:
    """Exposure Time (113824, or the retired 113735) in ms; else pulses x pulse width (Philips Allura)."""
    for wanted in (codes.EXPOSURE_TIME, codes.EXPOSURE_TIME_RETIRED):
        if event.first(wanted) is not None:
            if wanted == codes.EXPOSURE_TIME_RETIRED:
                notes.add("Exposure Time sent with the retired code 113735")
            return number(event, wanted, Quantity.TIME_S, "ms", notes)
    if pulses is not None and pulse_width.value is not None and len(pulse_width.values) == 1:
        notes.add("Exposure Time (113824) absent; derived as Number of Pulses x Pulse Width")
        return pulses * pulse_width.value
    return None


def projection_event(event: Item, notes: Notes) -> Event:
    """One Irradiation Event X-Ray Data container (113706) as an event."""
    kvp = measure(event, codes.KVP, Quantity.VOLTAGE_KV, "kV", notes)
    current = measure(event, codes.TUBE_CURRENT, Quantity.CURRENT_MA, "mA", notes)
    if current.value is None:
        current = measure(event, codes.AVERAGE_TUBE_CURRENT, Quantity.CURRENT_MA, "mA", notes)
    pulse_width = measure(event, codes.PULSE_WIDTH, Quantity.TIME_S, "ms", notes)
    pulses = count(event, codes.NUMBER_OF_PULSES, notes)
    plane = coded(event, codes.ACQUISITION_PLANE, notes)
    return Event(
        uid=text(event, codes.IRRADIATION_EVENT_UID),
        datetime=iso_datetime(text(event, codes.DATETIME_STARTED)),
        kind="projection",
        acquisition_type=meaning(event, codes.IRRADIATION_EVENT_TYPE, notes),
        protocol=text(event, codes.ACQUISITION_PROTOCOL),
        target_region=meaning(event, codes.TARGET_REGION, notes),
        plane=_PLANES.get(plane.code, "single") if plane and plane.code else None,
        dap_gym2=_dap(event, codes.DAP, notes),
        dose_rp_gy=_dose_rp(event, codes.DOSE_RP, notes),
        exposure_time_s=_exposure_time(event, pulses, pulse_width, notes),
        exposure_mas=number(event, codes.EXPOSURE, Quantity.EXPOSURE_MAS, "uA.s", notes),
        pulse_rate_per_s=count(event, codes.PULSE_RATE, notes),
        number_of_pulses=pulses,
        irradiation_duration_s=_seconds(event, codes.IRRADIATION_DURATION, notes),
        pulse_width_s=pulse_width.value,
        primary_angle_deg=number(event, codes.PRIMARY_ANGLE, Quantity.ANGLE_DEG, "deg", notes),
        secondary_angle_deg=number(event, codes.SECONDARY_ANGLE, Quantity.ANGLE_DEG, "deg", notes),
        kvp=kvp.value,
        tube_current_ma=current.value,
        filters=_filters(event, notes),
        agd_mgy=number(event, codes.AGD, Quantity.DOSE_MGY, "mGy", notes),
        entrance_exposure_mgy=number(event, codes.ENTRANCE_EXPOSURE, Quantity.DOSE_MGY, "mGy", notes),
        laterality=_laterality(event, notes),
        view=meaning(event, codes.IMAGE_VIEW, notes),
        compression_thickness_mm=number(event, codes.COMPRESSION_THICKNESS, Quantity.LENGTH_MM, "mm", notes),
        hvl_mm=number(event, codes.HVL, Quantity.LENGTH_MM, "mm", notes),
        anode=material_name(meaning(event, codes.ANODE_TARGET_MATERIAL, notes)),
        kvp_values=kvp.values,
        tube_current_ma_values=current.values,
        pulse_width_s_values=pulse_width.values,
    )


def projection_events(root: Item, notes: Notes) -> tuple[Event, ...]:
    """Every Irradiation Event X-Ray Data container, in document order."""
    return tuple(projection_event(event, notes) for event in root.all(codes.IRRADIATION_EVENT_XRAY))


def has_fluoroscopy(root: Item, totals: Totals) -> bool:
    """Evidence of fluoroscopy: a fluoroscopy event, or a fluoro total above zero (rdsr-notes §3)."""
    for event in root.all(codes.IRRADIATION_EVENT_XRAY):
        event_type = event.first(codes.IRRADIATION_EVENT_TYPE)
        if event_type is not None and event_type.code == codes.FLUOROSCOPY_EVENT:
            return True
    fluoro = (totals.fluoro_dap_total_gym2, totals.fluoro_dose_rp_total_gy, totals.fluoro_time_total_s)
    return any(value is not None and value > 0 for value in fluoro)
