"""Turning a dose report in the JSON contract (`kerma.dose-report/1`) into registry rows.

The registry depends only on the contract, never on the ingest package that produces it, so this is the
one place where contract keys meet column names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from registry.models import TOTAL_FIELDS, IrradiationEvent, device_identity_key

Report = Mapping[str, Any]

# Every event column that has a contract key of the same name (the rest are keys, links and derived).
# Set apart: the keys, times and related rows `event_columns` or the store fills in itself.
_COMPUTED_EVENT_COLUMNS = frozenset(
    {"id", "study", "report", "device", "uid", "modality", "started_at", "ended_at", "geometry"}
)
_EVENT_COLUMNS = tuple(
    field.name
    for field in IrradiationEvent._meta.local_concrete_fields
    if field.name
    not in {"id", "study", "report", "device", "uid", "modality", "started_at", "ended_at", "geometry"}
)
_TEXT_COLUMNS = frozenset(
    {
        "kind",
        "acquisition_type",
        "protocol",
        "target_region",
        "plane",
        "phantom",
        "laterality",
        "view",
        "anode",
        "xray_source",
        "repeat_reason",
        "reject_reason",
    }
)
_LIST_COLUMNS = (
    "sources",
    "filters",
    "kvp_values",
    "tube_current_ma_values",
    "tube_current_max_ma_values",
    "pulse_width_s_values",
)
EVENT_UPDATE_FIELDS = (*_EVENT_COLUMNS, "started_at", "ended_at", "geometry", "report", "device", "modality")
# An enhanced report's geometry (TID 10040): kept together, in the frame of reference it is stated in.
_GEOMETRY_KEYS = (
    "frame_of_reference_uid",
    "frame_of_reference_origin",
    "output_point_mm",
    "reference_point_mm",
)
ADMINISTRATION_UPDATE_FIELDS = (
    "started_at",
    "report",
    "administered_activity_mbq",
    "radiopharmaceutical",
    "radionuclide",
    "route",
)


# Totals stated as text (the radiopharmaceutical's names); every other total is a number.
TEXT_TOTALS = ("radiopharmaceutical", "radionuclide")


def aware_datetime(value: str | None) -> dt.datetime | None:
    """An ISO 8601 date-time; a naive one (DICOM rarely states an offset) is taken in the server's zone."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_time(value: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value) if value else None
    except ValueError:
        return None


def _text(value: Any, limit: int = 300) -> str:
    return str(value)[:limit] if value is not None else ""


def study_columns(report: Report) -> dict[str, Any]:
    """A study's columns as a report states them (a later report of the study fills only empty ones)."""
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


_DEVICE_TEXTS = (
    "manufacturer",
    "model_name",
    "serial_number",
    "station_name",
    "institution_name",
    "software_versions",
)


def device_columns(device: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """The report's device as its identity key (models.device_identity_key) and its stated columns."""
    key = device_identity_key(
        observer_uid=device.get("device_observer_uid"),
        manufacturer=device.get("manufacturer"),
        model=device.get("model_name"),
        serial=device.get("serial_number"),
        station=device.get("station_name"),
    )
    values = {name: str(device.get(name) or "")[:200] for name in _DEVICE_TEXTS}
    values["device_observer_uid"] = str(device.get("device_observer_uid") or "")[:64]
    return key, values


def totals_columns(report: Report) -> dict[str, Any]:
    """The report's stated totals as DoseTotals columns (text columns as empty strings, not null)."""
    totals = report["totals"]
    return {
        name: _text(totals.get(name)) if name in TEXT_TOTALS else totals.get(name) for name in TOTAL_FIELDS
    }


def event_uid(report: Report, index: int, event: Mapping[str, Any]) -> str:
    """The event's UID; one without (malformed producers) gets a stable stand-in from its report."""
    return str(event.get("uid") or f"{report['sop_instance_uid']}#{index}")


def event_columns(event: Mapping[str, Any]) -> dict[str, Any]:
    """Column values of one projection or CT event."""
    columns = {name: event.get(name) for name in _EVENT_COLUMNS}
    for name in _TEXT_COLUMNS:
        columns[name] = _text(columns[name], 200)
    for name in _LIST_COLUMNS:
        columns[name] = list(columns[name] or [])
    columns["started_at"] = aware_datetime(event.get("datetime"))
    columns["ended_at"] = aware_datetime(event.get("datetime_ended"))
    geometry = {key: event.get(key) for key in _GEOMETRY_KEYS if event.get(key) is not None}
    columns["geometry"] = {
        key: list(value) if isinstance(value, tuple) else value for key, value in geometry.items()
    }
    return columns


def administration_columns(event: Mapping[str, Any]) -> dict[str, Any]:
    """Column values of one radiopharmaceutical administration."""
    return {
        "started_at": aware_datetime(event.get("datetime")),
        "administered_activity_mbq": event.get("administered_activity_mbq"),
        "radiopharmaceutical": _text(event.get("radiopharmaceutical"), 200),
        "radionuclide": _text(event.get("radionuclide"), 100),
        "route": _text(event.get("route"), 100),
    }
