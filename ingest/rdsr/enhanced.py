"""TID 10040 Enhanced X-Ray Radiation Dose (Supplement 214, the cone-beam CT RDSR): totals per source, events.

The enhanced report is modality-independent: dose is accumulated per X-ray source (TID 10041) rather than per
plane, each irradiation event is summarised once (TID 10042), and technique and geometry are given per source
and time window (TID 10043, read by `enhanced_details`). So each source's accumulated data becomes one of the
contract's planes (one source: "single"; two: "A" and "B"), the totals are summed over them as the projection
reader sums planes, and every event is a "projection" event carrying what the windows of its source say.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.rdsr import codes
from ingest.rdsr.enhanced_details import Details, IrradiationDetails
from ingest.rdsr.enhanced_tree import (
    coded_below,
    containers,
    instant,
    nums,
    source_id,
    text_of,
)
from ingest.rdsr.modality import classify
from ingest.rdsr.model import Event, Modality, Plane, Totals
from ingest.rdsr.projection import PlaneName, planes_summed
from ingest.rdsr.tree import Item
from ingest.rdsr.units import Quantity
from ingest.rdsr.values import Notes, iso_datetime, label, measure_items

# TID 10041 row 2 allows one container for several sources ("A and B"): how the names are joined.
_JOINED = re.compile(r"\s*(?:,|&|\+|/|\band\b)\s*", re.IGNORECASE)
_PLANE_LETTERS: dict[str, PlaneName] = {"a": "A", "plane a": "A", "b": "B", "plane b": "B"}


def enhanced_report(
    root: Item, content_root: Any, notes: Notes
) -> tuple[Totals, tuple[Plane, ...], tuple[Event, ...]]:
    """Totals, planes and events of a TID 10040 report; `content_root` is what `root` was read from."""
    accumulated = _per_source(containers(root, codes.ACCUMULATED_DOSE_DATA), notes)
    summaries = containers(root, codes.IRRADIATION_EVENT_SUMMARY)
    if not accumulated:
        notes.add("no Accumulated Dose Data (130500) for any X-ray source; totals are null")
    names = _plane_names([name for name, _ in accumulated] + [source_id(s) for s in summaries], notes)
    planes = tuple(_plane(container, names.get(name, "single"), notes) for name, container in accumulated)
    details = IrradiationDetails(root, content_root, notes)
    events = tuple(_event(summary, names, details, notes) for summary in summaries)
    return planes_summed(planes), planes, events


def enhanced_modality(root: Item, totals: Totals) -> Modality:
    """The contract's rule (fluoroscopy anywhere makes RF), with TID 10042's event types as evidence too."""
    modality = classify("10040", root, totals)
    if modality != "DX":
        return modality
    for summary in containers(root, codes.IRRADIATION_EVENT_SUMMARY):
        event_type = summary.deep(codes.IRRADIATION_EVENT_TYPE)
        if event_type is not None and event_type.code == codes.FLUOROSCOPY_EVENT:
            return "RF"
    return modality


def _per_source(found: list[Item], notes: Notes) -> list[tuple[str | None, Item]]:
    """(source, container) of each TID 10041 container; one naming sources that have their own is dropped.

    A container for "A and B" next to containers for "A" and for "B" repeats their dose (TID 10041 row 2
    allows it for a biplane DAP total), so summing it with them would count the dose twice.
    """
    named = [(source_id(container), container) for container in found]
    own = {name for name, _ in named if name is not None}
    kept = []
    for name, container in named:
        parts = [part for part in _JOINED.split(name or "") if part]
        if len(parts) > 1 and set(parts) <= own:
            notes.add(
                f"Accumulated Dose Data for X-ray sources {name!r} repeats their own totals; not summed"
            )
            continue
        kept.append((name, container))
    return kept


def _plane_names(sources: list[str | None], notes: Notes) -> dict[str | None, PlaneName]:
    """Each X-ray source's plane: "single" for a lone source, else "A" and "B" by name or order of mention."""
    distinct = list(dict.fromkeys(name for name in sources if name is not None))
    if len(distinct) <= 1:
        lone: dict[str | None, PlaneName] = {None: "single"}
        lone.update((name, "single") for name in distinct)
        return lone
    names: dict[str | None, PlaneName] = {
        name: _PLANE_LETTERS[name.strip().lower()]
        for name in distinct
        if name.strip().lower() in _PLANE_LETTERS
    }
    free: list[PlaneName] = [plane for plane in ("A", "B") if plane not in names.values()]
    for name in distinct:
        if name not in names:
            names[name] = free.pop(0) if free else "single"
            if names[name] == "single":
                notes.add(f"more than two X-ray sources; source {name!r} is reported as plane single")
    return names


def _dap(container: Item, wanted: codes.Concept, notes: Notes) -> float | None:
    return measure_items(nums(container, wanted, notes), Quantity.DAP, "Gy.m2", notes).value


def _dose(container: Item, wanted: codes.Concept, notes: Notes) -> float | None:
    return measure_items(nums(container, wanted, notes), Quantity.DOSE_GY, "Gy", notes).value


def _seconds(container: Item, wanted: codes.Concept, notes: Notes) -> float | None:
    return measure_items(nums(container, wanted, notes), Quantity.TIME_S, "s", notes).value


def _count(container: Item, wanted: codes.Concept, notes: Notes) -> float | None:
    return measure_items(nums(container, wanted, notes), Quantity.COUNT, "1", notes).value


def _plane(container: Item, plane: PlaneName, notes: Notes) -> Plane:
    """One TID 10041 container: the projection totals it states, with its reference point definition."""
    return Plane(
        plane=plane,
        dap_total_gym2=_dap(container, codes.DAP_TOTAL, notes),
        dose_rp_total_gy=_dose(container, codes.DOSE_RP_TOTAL, notes),
        fluoro_dap_total_gym2=_dap(container, codes.FLUORO_DAP_TOTAL, notes),
        fluoro_dose_rp_total_gy=_dose(container, codes.FLUORO_DOSE_RP_TOTAL, notes),
        fluoro_time_total_s=_seconds(container, codes.FLUORO_TIME_TOTAL, notes),
        acquisition_dap_total_gym2=_dap(container, codes.ACQUISITION_DAP_TOTAL, notes),
        acquisition_dose_rp_total_gy=_dose(container, codes.ACQUISITION_DOSE_RP_TOTAL, notes),
        acquisition_time_total_s=_seconds(container, codes.ACQUISITION_TIME_TOTAL, notes),
        reference_point_definition=text_of(container, codes.REFERENCE_POINT_DEFINITION),
    )


def _flag(
    summary: Item, flag: codes.Concept, reason: codes.Concept, notes: Notes
) -> tuple[bool | None, str | None]:
    """A Yes/No row and its coded reason (TID 10042): a reason without the row still says Yes."""
    answer = coded_below(summary, flag, notes)
    why = text_of(summary, reason)
    if answer is None or answer.code is None:
        return (True, why) if why else (None, None)
    if answer.code not in (codes.YES, codes.NO):
        notes.add(f"{label(answer)} is neither Yes nor No; stored as null")
        return None, why
    return answer.code == codes.YES, why


def _event(
    summary: Item, planes: dict[str | None, PlaneName], details: IrradiationDetails, notes: Notes
) -> Event:
    """One Irradiation Event Summary Data container (130501), with the details of its source's windows."""
    source = source_id(summary)
    started, ended = text_of(summary, codes.DATETIME_STARTED), text_of(summary, codes.DATETIME_ENDED)
    found = details.for_event(source, instant(started), instant(ended))
    repeated, repeat_reason = _flag(summary, codes.IS_REPEATED_ACQUISITION, codes.REPEAT_REASON, notes)
    rejected, reject_reason = _flag(summary, codes.IS_REJECTED_ACQUISITION, codes.REJECT_REASON, notes)
    return Event(
        uid=text_of(summary, codes.IRRADIATION_EVENT_UID),
        datetime=iso_datetime(started),
        datetime_ended=iso_datetime(ended),
        kind="projection",
        acquisition_type=_meaning(summary, codes.IRRADIATION_EVENT_TYPE, notes),
        protocol=found.protocol,
        target_region=found.target_region,
        plane=planes.get(source, planes.get(None)),
        xray_source=source,
        dap_gym2=_dap(summary, codes.DAP, notes),
        dose_rp_gy=_dose(summary, codes.DOSE_RP, notes),
        agd_mgy=measure_items(nums(summary, codes.AGD, notes), Quantity.DOSE_MGY, "mGy", notes).value,
        view=_meaning(summary, codes.IMAGE_VIEW, notes),
        exposure_index=_count(summary, codes.EXPOSURE_INDEX, notes),
        target_exposure_index=_count(summary, codes.TARGET_EXPOSURE_INDEX, notes),
        deviation_index=_count(summary, codes.DEVIATION_INDEX, notes),
        repeated=repeated,
        repeat_reason=repeat_reason,
        rejected=rejected,
        reject_reason=reject_reason,
        **_detail_fields(found),
    )


def _meaning(parent: Item, wanted: codes.Concept, notes: Notes) -> str | None:
    item = coded_below(parent, wanted, notes)
    return None if item is None else item.code_meaning or (item.code.value if item.code else None)


def _detail_fields(found: Details) -> dict[str, Any]:
    """The Event keys that come from TID 10043 (the protocol and target region are passed on their own)."""
    return {
        "kvp": found.kvp.value,
        "kvp_values": found.kvp.values,
        "tube_current_ma": found.tube_current.value,
        "tube_current_ma_values": found.tube_current.values,
        "pulse_width_s": found.pulse_width.value,
        "pulse_width_s_values": found.pulse_width.values,
        "pulse_rate_per_s": found.pulse_rate_per_s,
        "number_of_pulses": found.number_of_pulses,
        "filters": found.filters,
        "field_area_m2": found.field_area_m2,
        "output_air_kerma_mgy": found.output_air_kerma_mgy,
        "patient_equivalent_thickness_mm": found.patient_equivalent_thickness_mm,
        "water_equivalent_diameter_mm": found.water_equivalent_diameter_mm,
        "output_point_mm": found.output_point_mm,
        "reference_point_mm": found.reference_point_mm,
        "frame_of_reference_uid": found.frame_of_reference_uid,
        "frame_of_reference_origin": found.frame_of_reference_origin,
    }
