"""The study page's dose estimates: each estimating report's values in display units, and their provenance.

An estimate is only as good as what it was made from, so each is shown with the software and methodology
that made it and the dose reports and events it used, with those the site holds found by their UIDs (a
PRDSR names them; it is not linked to them in the database). Effective and equivalent doses read in mSv,
absorbed doses (organ, skin) in mGy, with three significant digits (`significant`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from registry.models import DoseReport, IrradiationEvent, Study
from registry.models.estimates import DoseEstimate, EstimateKind
from registry.templatetags.dose import dicom_text, significant

MILLI = 1000.0  # Gy -> mGy, Sv -> mSv


@dataclass(frozen=True)
class EstimateRow:
    """One value as the table shows it: quantity, target, value and unit for display, representation."""

    quantity: str
    target: str
    value: str
    unit: str
    representation: str
    map_uid: str


@dataclass(frozen=True)
class UsedEvent:
    """An event the estimate used, with the site's stored row of it if there is one."""

    uid: str
    stored: IrradiationEvent | None


@dataclass(frozen=True)
class UsedReport:
    """A dose report the estimate was made from; no events listed means all of its events were used."""

    sop_instance_uid: str
    stored: DoseReport | None
    events: list[UsedEvent]


@dataclass(frozen=True)
class EstimateGroup:
    """The estimates of one Patient Radiation Dose SR and how they were made."""

    report: DoseReport
    name: str
    software: str
    methodology: list[tuple[str, str]]
    used: list[UsedReport]
    rows: list[EstimateRow]


def _display(estimate: DoseEstimate) -> tuple[str, str]:
    """The value in mSv (equivalent, effective) or mGy (absorbed); a dose map without a value has neither."""
    if estimate.dose_sv is not None or estimate.kind in (EstimateKind.EQUIVALENT, EstimateKind.EFFECTIVE):
        return significant(None if estimate.dose_sv is None else estimate.dose_sv * MILLI), "mSv"
    if estimate.dose_gy is not None or estimate.kind == EstimateKind.ABSORBED:
        return significant(None if estimate.dose_gy is None else estimate.dose_gy * MILLI), "mGy"
    return significant(None), ""


def _row(estimate: DoseEstimate) -> EstimateRow:
    value, unit = _display(estimate)
    target = estimate.target + (f" ({estimate.laterality})" if estimate.laterality else "")
    return EstimateRow(
        quantity=estimate.quantity or estimate.get_kind_display() or "—",
        target=target or "—",
        value=value,
        unit=unit,
        representation=estimate.representation,
        map_uid=estimate.representation_data_uid,
    )


def _named_values(parameters: Iterable[Mapping[str, Any]]) -> str:
    """ "Patient AP Dimension 220 mm, ..." from the methodology's parameters (value and unit as stated)."""
    parts = []
    for parameter in parameters:
        value = parameter.get("value")
        shown = significant(value) if isinstance(value, int | float) else str(value or "")
        unit = parameter.get("unit")
        unit_text = f" {unit}" if unit and unit != "1" else ""
        parts.append(f"{parameter.get('name') or parameter.get('code')} {shown}{unit_text}".strip())
    return ", ".join(parts)


def _with(main: str | None, detail: str | None) -> str:
    return f"{main} ({detail})" if main and detail else main or detail or ""


def methodology_lines(methodology: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The methodology as (label, text) lines, leaving out what the document did not state."""
    software = methodology.get("software") or {}
    lines = [
        ("Patient model", _with(methodology.get("patient_model"), methodology.get("model_reference"))),
        ("Transport model", methodology.get("transport_model") or ""),
        ("Method", _with(methodology.get("method"), methodology.get("method_reference"))),
        ("Model demographics", _named_values(methodology.get("model_demographics") or [])),
        ("Parameters", _named_values(methodology.get("parameters") or [])),
        ("Software", _software_text(software)),
    ]
    return [(label, text) for label, text in lines if text]


def _software_text(software: Mapping[str, Any]) -> str:
    name = " ".join(filter(None, [software.get("manufacturer"), software.get("model_name")]))
    version = software.get("software_versions")
    return f"{name}, version {version}" if name and version else name or ""


def _stored_reports(study: Study, uids: set[str]) -> dict[str, DoseReport]:
    if not uids:
        return {}
    found = DoseReport.objects.filter(study__site_id=study.site_id, sop_instance_uid__in=uids)
    return {report.sop_instance_uid: report for report in found.order_by("received_at", "pk")}


def _stored_events(study: Study, uids: set[str]) -> dict[str, IrradiationEvent]:
    if not uids:
        return {}
    found = IrradiationEvent.objects.filter(study__site_id=study.site_id, uid__in=uids).order_by("pk")
    return {event.uid: event for event in found}


def _used(
    sources: list[Mapping[str, Any]], reports: dict[str, DoseReport], events: dict[str, IrradiationEvent]
) -> list[UsedReport]:
    used = []
    for source in sources:
        uid = str(source.get("sop_instance_uid") or "")
        listed = [UsedEvent(str(event), events.get(str(event))) for event in source.get("event_uids") or []]
        used.append(UsedReport(uid, reports.get(uid), listed))
    return used


def study_estimates(study: Study) -> list[EstimateGroup]:
    """The study's estimates grouped by the report that states them, in order of arrival.

    One query for the estimates (with their reports and devices), and, only when there are some, one for the
    reports and one for the events they used, looked up among the site's own.
    """
    estimates = list(
        DoseEstimate.objects.filter(study=study)
        .select_related("report__device")
        .order_by("report__received_at", "report_id", "pk")
    )
    if not estimates:
        return []
    sources = [dict(source) for estimate in estimates for source in estimate.sr_instances_used]
    reports = _stored_reports(
        study, {str(s.get("sop_instance_uid")) for s in sources if s.get("sop_instance_uid")}
    )
    event_uids = {str(uid) for source in sources for uid in source.get("event_uids") or []}
    events = _stored_events(study, event_uids)
    groups = []
    for _, members in groupby(estimates, key=lambda estimate: estimate.report_id):
        rows = list(members)
        first = rows[0]
        groups.append(
            EstimateGroup(
                report=first.report,
                name=dicom_text(first.name),
                software=_software_text(first.methodology.get("software") or {}),
                methodology=methodology_lines(first.methodology),
                used=_used(list(first.sr_instances_used), reports, events),
                rows=[_row(estimate) for estimate in rows],
            )
        )
    return groups
