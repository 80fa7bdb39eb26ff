"""Turning a dose report in the JSON contract (`kerma.dose-report/1`) into registry rows.

The registry depends only on the contract, never on the ingest package that produces it, so this is the
one place where contract keys meet column names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from registry.models import TOTAL_FIELDS, IrradiationEvent

Report = Mapping[str, Any]

# Every event column that has a contract key of the same name (the rest are keys, links and derived).
_EVENT_COLUMNS = tuple(
    field.name
    for field in IrradiationEvent._meta.local_concrete_fields
    if field.name not in {"id", "study", "report", "device", "uid", "modality", "started_at"}
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
EVENT_UPDATE_FIELDS = (*_EVENT_COLUMNS, "started_at", "report", "device", "modality")
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
