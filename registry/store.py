"""Writing to the registry: storing a de-identified dose report into its study, exactly once.

Several reports can describe one study (rdsr-notes §9, corpus README): cumulative reports repeat earlier
events and add new ones, continued exams add disjoint events, PET/CT sends two kinds. One rule covers them:
events are unique by UID within a study; a report whose events include all of another's supersedes it; a
report whose events are all stored already is kept for audit only; every other report adds its events. The
study's totals are the sum of the stated totals of the reports that still contribute. Each report is
stored in one transaction that holds a lock on its study, because cumulative reports arrive seconds apart.
Every report also decides again whether the study is a quality-control scan (registry.quality.detection).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from registry.mapping.rules import mapping_apply_to_study
from registry.models import (
    CTDIVOL_COUNTS,
    TOTAL_FIELDS,
    Device,
    DoseReport,
    IrradiationEvent,
    RadiopharmaceuticalAdministration,
    Site,
    Study,
    device_identity_key,
)
from registry.quality.detection import qa_apply_to_study
from registry.report_rows import (
    ADMINISTRATION_UPDATE_FIELDS,
    EVENT_UPDATE_FIELDS,
    TEXT_TOTALS,
    Report,
    administration_columns,
    event_columns,
    event_uid,
    parse_date,
    parse_time,
    totals_columns,
)
from registry.statistics.workload import workload_key, workload_move


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


def _device(site: Site, device: Mapping[str, Any]) -> Device:
    key = device_identity_key(
        observer_uid=device.get("device_observer_uid"),
        manufacturer=device.get("manufacturer"),
        model=device.get("model_name"),
        serial=device.get("serial_number"),
        station=device.get("station_name"),
    )
    values = {
        name: str(device.get(name) or "")[:200]
        for name in (
            "manufacturer",
            "model_name",
            "serial_number",
            "station_name",
            "institution_name",
            "software_versions",
        )
    }
    values["device_observer_uid"] = str(device.get("device_observer_uid") or "")[:64]
    default_name = " ".join(
        filter(None, [values["manufacturer"], values["model_name"], values["station_name"]])
    )
    found, created = Device.objects.get_or_create(
        site=site, identity_key=key, defaults={**values, "display_name": default_name[:200]}
    )
    if not created and any(getattr(found, name) != value for name, value in values.items() if value):
        for name, value in values.items():
            if value:
                setattr(found, name, value)
        found.save(update_fields=[name for name, value in values.items() if value])
    return found


def _study_values(report: Report) -> dict[str, Any]:
    study, patient = report["study"], report["patient"]
    return {
        "study_date": parse_date(study.get("date")),
        "study_time": parse_time(study.get("time")),
        "modality": report["modality"],
        "modalities": report["modality"],
        "description": str(study.get("description") or "")[:300],
        "requested_procedure": str(study.get("requested_procedure") or "")[:300],
        "procedure_reported": str(study.get("procedure_reported") or "")[:200],
        "accession_pseudonym": str(study.get("accession_number") or ""),
        "patient_pseudonym": str(patient.get("id") or ""),
        "patient_age_years": patient.get("age_years"),
        "patient_sex": patient.get("sex") or "",
        "patient_weight_kg": patient.get("weight_kg"),
        "patient_height_m": patient.get("height_m"),
    }


def _locked_study(site: Site, report: Report) -> tuple[Study, bool]:
    """The study row, locked for this transaction (created if new; a racing creator wins and we lock it)."""
    uid = report["study_instance_uid"] or f"no-study-uid:{report['sop_instance_uid']}"
    locked = Study.objects.select_for_update()
    try:
        with transaction.atomic():
            return locked.get_or_create(site=site, study_instance_uid=uid, defaults=_study_values(report))
    except IntegrityError:
        return locked.get(site=site, study_instance_uid=uid), False


def _event_sets(report: Report) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, dict[str, Any]]]]:
    irradiation: list[tuple[str, dict[str, Any]]] = []
    administrations: list[tuple[str, dict[str, Any]]] = []
    for index, event in enumerate(report["events"]):
        uid = event_uid(report, index, event)
        if event["kind"] == "radiopharmaceutical":
            administrations.append((uid, administration_columns(event)))
        else:
            irradiation.append((uid, event_columns(event)))
    return irradiation, administrations


Row = IrradiationEvent | RadiopharmaceuticalAdministration


def _upsert(
    model: type[Row],
    study: Study,
    rows: list[tuple[str, dict[str, Any]]],
    shared: dict[str, Any],
    update_fields: tuple[str, ...],
) -> None:
    """Insert rows with new UIDs and take over known ones, in a constant number of queries."""
    existing = {row.uid: row for row in model.objects.filter(study=study, uid__in=[uid for uid, _ in rows])}
    fresh: list[Row] = []
    changed: list[Row] = []
    for uid, columns in rows:
        values = {**columns, **shared}
        if uid in existing:
            row = existing[uid]
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
        else:
            fresh.append(model(study=study, uid=uid, **values))
    model.objects.bulk_create(fresh, batch_size=500)  # type: ignore[arg-type]
    model.objects.bulk_update(changed, update_fields, batch_size=500)  # type: ignore[arg-type]


def _stored_event_uids(study: Study) -> set[str]:
    uids = set(IrradiationEvent.objects.filter(study=study).values_list("uid", flat=True))
    return uids | set(
        RadiopharmaceuticalAdministration.objects.filter(study=study).values_list("uid", flat=True)
    )


def _supersede(study: Study, new_uids: set[str]) -> None:
    """Reports whose events the new report repeats in full stop contributing (cumulative reports)."""
    covered = [
        report.pk
        for report in study.reports.filter(contributes=True).only("pk", "event_uids")
        if set(report.event_uids) <= new_uids
    ]
    if covered:
        DoseReport.objects.filter(pk__in=covered).update(contributes=False)


def _refresh_study(study: Study, report: Report, created: bool) -> None:
    """Study totals = sum of the contributing reports' stated totals; modalities = every report's."""
    numeric = [name for name in TOTAL_FIELDS if name not in TEXT_TOTALS]
    aggregates = {name: Sum(name) for name in numeric} | {name: Max(name) for name in TEXT_TOTALS}
    sums = study.reports.filter(contributes=True).aggregate(**aggregates)
    for name in TOTAL_FIELDS:
        setattr(study, name, sums[name] if sums[name] is not None or name not in TEXT_TOTALS else "")
    counted = study.events.filter(CTDIVOL_COUNTS)
    study.ctdivol_max_mgy = counted.aggregate(highest=Max("ctdivol_mgy"))["highest"]
    modalities = sorted(set(study.modalities.split(",")) | {report["modality"]} - {""})
    study.modalities = ",".join(modalities)
    if not created:
        for name, value in _study_values(report).items():
            if (
                name not in ("modality", "modalities")
                and value not in (None, "")
                and not getattr(study, name)
            ):
                setattr(study, name, value)
    study.updated_at = timezone.now()
    study.save()


def _report_values(report: Report, device: Device, new_uids: set[str]) -> dict[str, Any]:
    return {
        "device": device,
        "sop_class_uid": report["sop_class_uid"],
        "template": report["template"],
        "modality": report["modality"],
        "event_uids": sorted(new_uids),
        "planes": list(report["planes"]),
        "warnings": list(report["warnings"]),
        "source_of_dose_information": list(report.get("source_of_dose_information") or []),
        **totals_columns(report),
    }


@transaction.atomic
def store_dose_report(*, site: Site, report: Report, reprocess: bool = False) -> StoredReport:
    """Store one de-identified dose report (contract dict) in its study, under a lock on the study.

    The report's `patient.id` and `study.accession_number` must already be pseudonyms: the registry
    stores what it is given. With `reprocess`, a report stored before is re-read in place.
    """
    study, created = _locked_study(site, report)
    counted_as = None if created else workload_key(study)
    known = DoseReport.objects.filter(study__site=site, sop_instance_uid=report["sop_instance_uid"]).first()
    if known is not None and not reprocess:
        return StoredReport(known.study, known, Outcome.DUPLICATE)
    irradiation, administrations = _event_sets(report)
    new_uids = {uid for uid, _ in irradiation} | {uid for uid, _ in administrations}
    device = _device(site, report["device"])
    values = _report_values(report, device, new_uids)
    if known is not None:
        for name, value in values.items():
            setattr(known, name, value)
        known.save()
        stored, outcome = known, Outcome.REPROCESSED
        _take_over(study, stored, irradiation, administrations, only_own=True)
    else:
        audit_only = bool(new_uids) and new_uids <= _stored_event_uids(study)
        if not audit_only:
            _supersede(study, new_uids)
        stored = DoseReport.objects.create(
            study=study, sop_instance_uid=report["sop_instance_uid"], contributes=not audit_only, **values
        )
        if audit_only:
            outcome = Outcome.AUDIT_ONLY
        else:
            _take_over(study, stored, irradiation, administrations, only_own=False)
            outcome = Outcome.CREATED if created else Outcome.ADDED
    if study.device_id is None:  # the first report's device stands for the study (per-device statistics)
        study.device = device
    _refresh_study(study, report, created)
    mapping_apply_to_study(study)
    qa_apply_to_study(study)  # a QA scan is not counted: workload_key is None for it
    workload_move(counted_as, workload_key(study))
    return StoredReport(study, stored, outcome)


def _take_over(
    study: Study,
    stored: DoseReport,
    irradiation: list[tuple[str, dict[str, Any]]],
    administrations: list[tuple[str, dict[str, Any]]],
    *,
    only_own: bool,
) -> None:
    """Write the report's events; when reprocessing, only those the report still owns."""
    if only_own:
        owned = set(stored.events.values_list("uid", flat=True)) | set(
            stored.administrations.values_list("uid", flat=True)
        )
        stored_uids = _stored_event_uids(study)
        irradiation = [(uid, cols) for uid, cols in irradiation if uid in owned or uid not in stored_uids]
        administrations = [
            (uid, cols) for uid, cols in administrations if uid in owned or uid not in stored_uids
        ]
    event_shared = {"report": stored, "device": stored.device, "modality": stored.modality}
    _upsert(IrradiationEvent, study, irradiation, event_shared, EVENT_UPDATE_FIELDS)
    _upsert(
        RadiopharmaceuticalAdministration,
        study,
        administrations,
        {"report": stored},
        ADMINISTRATION_UPDATE_FIELDS,
    )
