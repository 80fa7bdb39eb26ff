"""Storing a report of a study stored before: cumulative, continued and PET/CT reports, re-read reports.

Under the study's lock (taken by `registry.store.store_dose_report`), the study's reports and stored rows are
read once; the report supersedes those it repeats, adds its new events or is kept for audit only, and the
study's totals are summed again from its contributing reports (the rules: registry.store's docstring).
"""

from __future__ import annotations

import functools
import math
from typing import Any

from django.db import connection
from django.utils import timezone

from registry.mapping.one_study import mapping_apply_to_study
from registry.models import (
    TOTAL_FIELDS,
    Device,
    DoseReport,
    IrradiationEvent,
    RadiopharmaceuticalAdministration,
    Study,
)
from registry.quality.detection import counted_protocols, qa_apply_to_study
from registry.report_rows import (
    TEXT_TOTALS,
    Report,
    study_columns,
)
from registry.row_inserts import update_every_column
from registry.statistics.workload import workload_key, workload_move
from registry.store_rows import (
    ADMINISTRATIONS,
    ENHANCED_TEMPLATE,
    EVENTS,
    Incoming,
    Outcome,
    Row,
    Stored,
    StoredReport,
    ctdivol_max,
    header_row,
    irradiating,
    is_header_report,
    modalities,
    qa_only,
    report_values,
    write_rows,
)


def store_again(study: Study, incoming: Incoming, *, created: bool, known: DoseReport | None) -> StoredReport:
    """A report of a study stored before (or a re-read report), under the study's lock."""
    counted_as = None if created else workload_key(study)
    reports = list(study.reports.select_related("device__qa_only"))
    sop_instance_uid = incoming.report["sop_instance_uid"]
    if known is None and (
        raced := next((r for r in reports if r.sop_instance_uid == sop_instance_uid), None)
    ):
        return StoredReport(study, raced, Outcome.DUPLICATE)  # stored meanwhile, by the lock's holder
    stored_rows = _stored_rows(study)
    values = report_values(incoming)
    header = is_header_report(incoming.report["sop_class_uid"], values["source_of_dose_information"])
    yields = header and any(not header_row(r) for r in reports if r.pk != getattr(known, "pk", None))
    retired: set[int] = set() if header else _retire_header_reports(reports, incoming.uids, stored_rows)
    if known is not None:
        for name, value in values.items():
            setattr(known, name, value)
        known.contributes = known.contributes and not yields
        known.save()
        stored, outcome = known, Outcome.REPROCESSED
        if not yields:
            write_rows(study, stored, incoming, stored_rows, only_own=True)
    else:
        contributing = [r for r in reports if r.contributes]
        held = _all_held(incoming.uids, stored_rows, besides=retired)
        audit_only = yields or (held and not _takes_over(incoming, contributing))
        if not audit_only:
            _supersede(contributing, incoming.uids)
        stored = DoseReport.objects.create(
            study=study, sop_instance_uid=sop_instance_uid, contributes=not audit_only, **values
        )
        reports.append(stored)
        if audit_only:
            outcome = Outcome.AUDIT_ONLY
        else:
            write_rows(study, stored, incoming, stored_rows, only_own=False)
            outcome = Outcome.CREATED if created else Outcome.ADDED
    if study.device_id is None and irradiating(incoming.report):  # the first irradiating report's device
        study.device = incoming.device  # stands for the study (per-device statistics)
    current = [stored if report.pk == stored.pk else report for report in reports]
    protocols = _refresh_study(study, incoming.report, created, current)
    qa_apply_to_study(study, qa_device=_latest_qa_device(current), protocols=protocols)
    mapping_apply_to_study(study)
    workload_move(counted_as, workload_key(study))
    return StoredReport(study, stored, outcome)


def _stored_rows(study: Study) -> Stored:
    """The study's stored events and administrations by UID, with their ids and reports: one query."""
    stored: Stored = {EVENTS: {}, ADMINISTRATIONS: {}}
    with connection.cursor() as cursor:
        cursor.execute(_stored_rows_sql(), [study.pk, study.pk])
        for uid, pk, report_id, name in cursor.fetchall():
            stored[name][uid] = (pk, report_id)
    return stored


@functools.cache
def _stored_rows_sql() -> str:
    """The UNION of both tables' (uid, id, report id, table name) rows of one study, built once."""
    quote = connection.ops.quote_name

    def table(model: type[Row], name: str) -> str:
        columns = ", ".join(quote(column) for column in ("uid", "id", "report_id"))
        where = f"WHERE {quote('study_id')} = %s"
        return f"SELECT {columns}, '{name}' FROM {quote(model._meta.db_table)} {where}"  # noqa: S608

    administrations = table(RadiopharmaceuticalAdministration, ADMINISTRATIONS)
    return f"{table(IrradiationEvent, EVENTS)} UNION ALL {administrations}"


def _all_held(uids: set[str], stored_rows: Stored, *, besides: set[int]) -> bool:
    """Whether the study holds all these events already, not counting rows of the `besides` reports."""
    held = {uid for rows in stored_rows.values() for uid, row in rows.items() if row[1] not in besides}
    return bool(uids) and uids <= held


def _retire_header_reports(reports: list[DoseReport], sr_uids: set[str], stored_rows: Stored) -> set[int]:
    """A dose SR arriving: the study's header reports stop contributing and the SR's events replace theirs.

    Their events the SR repeats (same Irradiation Event UID) are taken over by the SR's rows; the others are
    deleted, so no exposure counts twice. Returns the retired reports' ids: an SR whose events they held
    still contributes. No query unless the study holds a contributing header report.
    """
    retired = {r.pk for r in reports if r.contributes and header_row(r)}
    if not retired:
        return retired
    DoseReport.objects.filter(pk__in=retired).update(contributes=False)
    for report in reports:
        report.contributes = report.contributes and report.pk not in retired
    events = stored_rows[EVENTS]
    owned = {uid: pk for uid, (pk, report_id) in events.items() if report_id in retired}
    gone = [pk for uid, pk in owned.items() if uid not in sr_uids]
    if gone:
        IrradiationEvent.objects.filter(pk__in=gone).delete()
    for uid in owned:
        if uid not in sr_uids:
            del events[uid]
    return retired


def _takes_over(incoming: Incoming, contributing: list[DoseReport]) -> bool:
    """Whether an Enhanced X-Ray Radiation Dose SR takes over the events a classic report of the study holds.

    The enhanced report (TID 10040) states the same events with more of their details (end, source, repeat
    and reject, geometry), so it replaces every report whose events it repeats in full, rather than being
    kept for audit only; each event still counts once (docs/dose-objects.md).
    """
    if incoming.report["template"] != ENHANCED_TEMPLATE:
        return False
    sharing = [report for report in contributing if set(report.event_uids) & incoming.uids]
    return all(set(report.event_uids) <= incoming.uids for report in sharing)


def _supersede(contributing: list[DoseReport], new_uids: set[str]) -> None:
    """Reports whose events the new report repeats in full stop contributing (cumulative reports)."""
    # A report without events (a Patient Radiation Dose SR) repeats nothing: an empty set is no cover.
    covered = [report for report in contributing if report.event_uids and set(report.event_uids) <= new_uids]
    if covered:
        DoseReport.objects.filter(pk__in=[report.pk for report in covered]).update(contributes=False)
    for report in covered:
        report.contributes = False


def _latest_qa_device(reports: list[DoseReport]) -> Device | None:
    """The device of the latest report (by arrival) that comes from a QA-only device, as the rules name it."""
    marked = [report for report in reports if qa_only(report.device)]
    return max(marked, key=lambda report: (report.received_at, report.pk)).device if marked else None


def _contributing_totals(reports: list[DoseReport]) -> dict[str, Any]:
    """The study's totals: each numeric total summed over the contributing reports that state it (None if
    none does), each text total their greatest (as SQL's MAX on a binary collation).

    Summed from the reports in hand (`store_again` read them all under the study's lock) rather than by a
    SUM query; `math.fsum` rounds the sum exactly, whatever the order the reports come in.
    """
    contributing = [report for report in reports if report.contributes]
    totals: dict[str, Any] = {}
    for name in TOTAL_FIELDS:
        values = [getattr(report, name) for report in contributing]
        if name in TEXT_TOTALS:
            totals[name] = max(values, default="")
            continue
        stated = [value for value in values if value is not None]
        exact = all(isinstance(value, int) for value in stated)
        totals[name] = (sum(stated) if exact else math.fsum(stated)) if stated else None
    return totals


def _refresh_study(study: Study, report: Report, created: bool, reports: list[DoseReport]) -> list[str]:
    """Study totals = sum of the contributing reports' stated totals; modalities = every report's.

    `reports` are all the study's reports as they now are. Returns the counted protocols of the study's
    events for the QA rules, read in the same query as their highest CTDIvol.
    """
    for name, value in _contributing_totals(reports).items():
        setattr(study, name, value)
    events = list(
        study.events.order_by("started_at", "pk").values_list("ctdivol_mgy", "localizer", "protocol")
    )
    study.ctdivol_max_mgy = ctdivol_max((ctdivol, localizer) for ctdivol, localizer, _ in events)
    study.modalities = modalities(study, report)
    if not created:
        for name, value in study_columns(report).items():
            if (
                name not in ("modality", "modalities")
                and value not in (None, "")
                and not getattr(study, name)
            ):
                setattr(study, name, value)
    study.updated_at = timezone.now()
    update_every_column(study)
    return counted_protocols((protocol, localizer) for _, localizer, protocol in events)
