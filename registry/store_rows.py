"""What storing a report works with: its outcome, the report turned into rows once, and how rows are written.

Shared by `registry.store` (the entry point, and a report of a new study) and `registry.store_later` (a
report of a study stored before); the rules themselves are stated in registry.store's docstring.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from registry.estimates.store import estimates_store
from registry.models import (
    Device,
    DoseReport,
    IrradiationEvent,
    RadiopharmaceuticalAdministration,
    Study,
)
from registry.report_rows import (
    ADMINISTRATION_UPDATE_FIELDS,
    EVENT_UPDATE_FIELDS,
    Report,
    administration_columns,
    event_columns,
    event_uid,
    totals_columns,
)
from registry.row_inserts import insert_all

Row = IrradiationEvent | RadiopharmaceuticalAdministration
Rows = list[tuple[str, dict[str, Any]]]  # (event UID, column values) of one table
Stored = dict[str, dict[str, tuple[int, int]]]  # table -> {UID: (pk, report pk)} of a study's stored rows
EVENTS, ADMINISTRATIONS = "events", "administrations"
# Every SR storage class is numbered under .88 (PS3.4 Annex B.5); an image header is never one of them.
SR_CLASS_PREFIX = "1.2.840.10008.5.1.4.1.1.88."
# TID 10030: estimates made by other software from the study's dose reports, no dose of its own.
PATIENT_DOSE_TEMPLATE = "10030"
# TID 10040: the same events as a classic report's, with more of their details.
ENHANCED_TEMPLATE = "10040"
# CID 10021 (113866, DCM), codes.DCM.CopiedFromImageAttributes: how the reader marks a header's report.
COPIED_FROM_IMAGE_ATTRIBUTES = "Copied From Image Attributes"


class Outcome(enum.Enum):
    """What storing a report did to its study."""

    CREATED = "created"  # the first report of a new study
    ADDED = "added"  # new events for a known study (continued exam, PET/CT, cumulative superset)
    AUDIT_ONLY = "audit_only"  # every event was stored already: kept, totals unchanged
    DUPLICATE = "duplicate"  # this SOP Instance UID was stored before: nothing changed
    REPROCESSED = "reprocessed"  # re-read after a reader upgrade: values updated in place


@dataclass(frozen=True)
class StoredReport:
    study: Study
    report: DoseReport
    outcome: Outcome


@dataclass(frozen=True)
class Incoming:
    """The report being stored, turned into rows once."""

    report: Report
    device: Device
    irradiation: Rows
    administrations: Rows

    @property
    def uids(self) -> set[str]:
        return {uid for uid, _ in self.irradiation} | {uid for uid, _ in self.administrations}


def is_header_report(sop_class_uid: str, source_of_dose_information: Iterable[str] | None) -> bool:
    """Whether a report was read from an image header (DX, CR, MG, DBT) rather than from a dose SR.

    Decided from the report itself, so the common path (a new study) sends no query for it; an SR that
    states the same source (a device building its RDSR from image attributes) is still an SR.
    """
    return list(source_of_dose_information or []) == [
        COPIED_FROM_IMAGE_ATTRIBUTES
    ] and not sop_class_uid.startswith(SR_CLASS_PREFIX)


def irradiating(report: Report) -> bool:
    """Whether the report describes irradiation (every template but the Patient Radiation Dose SR's): only
    such a report's device stands for its study (per-device statistics), not the estimating software's."""
    return report["template"] != PATIENT_DOSE_TEMPLATE


def header_row(report: DoseReport) -> bool:
    return is_header_report(report.sop_class_uid, report.source_of_dose_information)


def modalities(study: Study, report: Report) -> str:
    return ",".join(sorted(set(study.modalities.split(",")) | {report["modality"]} - {""}))


def ctdivol_max(events: Iterable[tuple[Any, Any]]) -> float | None:
    """The highest CTDIvol of (ctdivol, localizer) pairs that count for CTDIvol (models.CTDIVOL_COUNTS)."""
    return max(
        (ctdivol for ctdivol, localizer in events if ctdivol is not None and localizer is not True),
        default=None,
    )


def event_sets(report: Report) -> tuple[Rows, Rows]:
    irradiation: Rows = []
    administrations: Rows = []
    for index, event in enumerate(report["events"]):
        uid = event_uid(report, index, event)
        if event["kind"] == "radiopharmaceutical":
            administrations.append((uid, administration_columns(event)))
        else:
            irradiation.append((uid, event_columns(event)))
    return irradiation, administrations


def report_values(incoming: Incoming) -> dict[str, Any]:
    report = incoming.report
    return {
        "device": incoming.device,
        "sop_class_uid": report["sop_class_uid"],
        "template": report["template"],
        "modality": report["modality"],
        "event_uids": sorted(incoming.uids),
        "planes": list(report["planes"]),
        "warnings": list(report["warnings"]),
        "source_of_dose_information": list(report.get("source_of_dose_information") or []),
        **totals_columns(report),
    }


def qa_only(device: Device) -> bool:
    return getattr(device, "qa_only", None) is not None  # read with the device: no query


def write_rows(
    study: Study, stored: DoseReport, incoming: Incoming, stored_rows: Stored, *, only_own: bool
) -> None:
    """Write the report's events (and a Patient Radiation Dose SR's estimates); when reprocessing, only the
    events it still owns or the study does not hold."""
    if incoming.report.get("estimates"):  # TID 10030: registry.estimates, never the study's totals
        estimates_store(stored, study, list(incoming.report["estimates"]))
    irradiation, administrations = incoming.irradiation, incoming.administrations
    if only_own:
        held = {uid for rows in stored_rows.values() for uid in rows}
        owned = {uid for rows in stored_rows.values() for uid, row in rows.items() if row[1] == stored.pk}
        irradiation = [(uid, cols) for uid, cols in irradiation if uid in owned or uid not in held]
        administrations = [(uid, cols) for uid, cols in administrations if uid in owned or uid not in held]
    event_shared = {"report": stored, "device": stored.device, "modality": stored.modality}
    _upsert(IrradiationEvent, study, irradiation, event_shared, EVENT_UPDATE_FIELDS, stored_rows[EVENTS])
    _upsert(
        RadiopharmaceuticalAdministration,
        study,
        administrations,
        {"report": stored},
        ADMINISTRATION_UPDATE_FIELDS,
        stored_rows[ADMINISTRATIONS],
    )


def _upsert(
    model: type[Row],
    study: Study,
    rows: Rows,
    shared: dict[str, Any],
    update_fields: tuple[str, ...],
    existing: dict[str, tuple[int, int]],
) -> None:
    """Insert rows with new UIDs and take over known ones: one statement each, per 500 rows.

    A taken-over row is built from its id rather than read, since every column it updates (all but the study
    and the UID) gets the report's value, and written as INSERT ... ON CONFLICT (id) DO UPDATE: the same
    UPDATE, without the CASE per column and row that bulk_update compiles (most of a cumulative CT report's
    time in Python, 40 ms for three events).
    """
    fresh: list[Row] = []
    changed: list[Row] = []
    for uid, columns in rows:
        values = {**columns, **shared}
        if uid in existing:
            changed.append(model(pk=existing[uid][0], study=study, uid=uid, **values))
        else:
            fresh.append(model(study=study, uid=uid, **values))
    insert_all(fresh)
    if changed:
        taken_over = {"update_conflicts": True, "unique_fields": ["id"], "update_fields": update_fields}
        model.objects.bulk_create(changed, batch_size=500, **taken_over)  # type: ignore[arg-type]
