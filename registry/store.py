"""Writing to the registry: storing a de-identified dose report into its study, exactly once.

Several reports can describe one study (rdsr-notes §9, corpus README): cumulative reports repeat earlier
events and add new ones, continued exams add disjoint events, PET/CT sends two kinds. One rule covers them:
events are unique by UID within a study; a report whose events include all of another's supersedes it; a
report whose events are all stored already is kept for audit only; every other report adds its events. The
study's totals are the sum of the stated totals of the reports that still contribute. A report read from an
image header (a *header report*, `_is_header_report`) yields to a dose SR of its study: it does not contribute
when the study holds an SR, and an SR arriving makes the study's header reports stop contributing and takes
their events' place (docs/dose-objects.md, "Image headers"). Each report is
stored in one transaction that holds a lock on its study, because cumulative reports arrive seconds apart.
Every report also decides again whether the study is a quality-control scan (registry.quality.detection).

Each statement is a round trip to the database, and round trips are most of a report's time in the worker
(docs/performance.md#ingest), so none is sent that cannot change the result. Most reports open a new study:
that study is inserted whole (its totals are its only report's, its highest CTDIvol and its QA protocols
come from the events in hand) and nothing is read back; no earlier report can be superseded or hold its
events. Only a report of a study stored before reads that study's reports and events, whose sums it needs.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from django.db import connection, transaction

from registry.mapping.one_study import mapping_apply_to_study
from registry.models import Device, DoseReport, QADevice, Site, Study
from registry.quality.detection import counted_protocols, qa_apply_to_study
from registry.report_rows import (
    Report,
    device_columns,
    study_columns,
    totals_columns,
)
from registry.row_inserts import insert_returning_key, model_from_row
from registry.statistics.workload import workload_key, workload_move
from registry.store_later import store_again
from registry.store_rows import (
    ADMINISTRATIONS,
    EVENTS,
    Incoming,
    Outcome,
    Rows,
    StoredReport,
    ctdivol_max,
    event_sets,
    irradiating,
    modalities,
    qa_only,
    report_values,
    write_rows,
)


@transaction.atomic(savepoint=False)
def store_dose_report(*, site: Site, report: Report, reprocess: bool = False) -> StoredReport:
    """Store one de-identified dose report (contract dict) in its study, under a lock on the study.

    The report's `patient.id` and `study.accession_number` must already be pseudonyms: the registry
    stores what it is given. With `reprocess`, a report stored before is re-read in place. No savepoint of
    its own: inside a caller's transaction (submission_process stores and finishes in one) a failure rolls
    the caller's transaction back whole, and a savepoint would add two round trips to every report.
    """
    known = _stored_report(site, report["sop_instance_uid"])
    if known is not None and not reprocess:
        return StoredReport(known.study, known, Outcome.DUPLICATE)
    irradiation, administrations = event_sets(report)
    incoming = Incoming(report, _device(site, report["device"]), irradiation, administrations)
    study = _new_study(site, incoming)
    # One statement, INSERT ... ON CONFLICT DO NOTHING RETURNING id: Django's get_or_create takes a SELECT,
    # a savepoint, the INSERT and its release. The inserted row is this transaction's until it commits: a
    # second report of the same study waits in its own INSERT, then finds the row and locks it.
    created = insert_returning_key(study, unless_conflict_on=("site_id", "study_instance_uid"))
    if created and known is None:
        return _store_first(study, incoming)
    if not created:  # the lock every later report of the study waits for (and the racing creator's row)
        study = Study.objects.select_for_update().get(site=site, study_instance_uid=study.study_instance_uid)
        study.site = site
    return store_again(study, incoming, created=created, known=known)


def _stored_report(site: Site, sop_instance_uid: str) -> DoseReport | None:
    """The report with this SOP Instance UID the site stored before, if any (a duplicate).

    Asked for its key only, since nearly every report is new; a duplicate's row is read after.
    """
    found = DoseReport.objects.filter(study__site=site, sop_instance_uid=sop_instance_uid).order_by()
    keys = list(found.values_list("pk", flat=True)[:1])
    return DoseReport.objects.select_related("study").get(pk=keys[0]) if keys else None


def _device(site: Site, device: Mapping[str, Any]) -> Device:
    """The report's device, with whether a physicist marked it QA-only (read in the same query)."""
    key, values = device_columns(device)
    found = _stored_device(site, key)
    if found is None:
        default_name = " ".join(
            filter(None, [values["manufacturer"], values["model_name"], values["station_name"]])
        )
        found, created = Device.objects.select_related("qa_only").get_or_create(
            site=site, identity_key=key, defaults={**values, "display_name": default_name[:200]}
        )
        if created:  # nobody can have marked a device that did not exist: no query to find that out
            Device.qa_only.related.set_cached_value(found, None)
            return found
    if any(getattr(found, name) != value for name, value in values.items() if value):
        for name, value in values.items():
            if value:
                setattr(found, name, value)
        found.save(update_fields=[name for name, value in values.items() if value])
    return found


def _stored_device(site: Site, key: str) -> Device | None:
    """The site's device with this identity and its QA-only mark if it has one: one SELECT compiled once."""
    sql, params, positions = _device_select()
    arguments = list(params)
    arguments[positions[0]], arguments[positions[1]] = site.pk, key
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        row = cursor.fetchone()
    if row is None:
        return None
    width = len(Device._meta.concrete_fields)
    found = model_from_row(Device, row[:width])
    marked = model_from_row(QADevice, row[width:]) if row[width] is not None else None
    Device.qa_only.related.set_cached_value(found, marked)
    return found


# Values no site or device has, compiled where the site's key and the identity key go, then replaced.
_SITE_PLACEHOLDER, _KEY_PLACEHOLDER = -2_000_000_003, "kerma: no device has this identity key"


@functools.cache
def _device_select() -> tuple[str, tuple[Any, ...], tuple[int, int]]:
    """Django's SQL for the device with its QA-only mark (select_related), and where its two arguments go."""
    devices = Device.objects.select_related("qa_only").order_by()
    query = devices.filter(site_id=_SITE_PLACEHOLDER, identity_key=_KEY_PLACEHOLDER).query
    sql, params = query.sql_with_params()
    return sql, tuple(params), (params.index(_SITE_PLACEHOLDER), params.index(_KEY_PLACEHOLDER))


def _new_study(site: Site, incoming: Incoming) -> Study:
    """The study as its first report describes it: that report's totals and events are all it has."""
    report = incoming.report
    uid = report["study_instance_uid"] or f"no-study-uid:{report['sop_instance_uid']}"
    device = incoming.device if irradiating(report) else None  # not an estimating program's
    study = Study(site=site, study_instance_uid=uid, device=device, **study_columns(report))
    for name, value in totals_columns(report).items():
        setattr(study, name, value)
    study.modalities = modalities(study, report)
    events = ((columns["ctdivol_mgy"], columns["localizer"]) for _, columns in incoming.irradiation)
    study.ctdivol_max_mgy = ctdivol_max(events)
    return study


def _store_first(study: Study, incoming: Incoming) -> StoredReport:
    """The first report of a new study: its rows are inserted as they are and nothing is read back."""
    stored = DoseReport(
        study=study, sop_instance_uid=incoming.report["sop_instance_uid"], **report_values(incoming)
    )
    insert_returning_key(stored)
    write_rows(study, stored, incoming, {EVENTS: {}, ADMINISTRATIONS: {}}, only_own=False)
    qa_device = incoming.device if qa_only(incoming.device) else None
    qa_apply_to_study(study, qa_device=qa_device, protocols=_protocols_as_stored(incoming.irradiation))
    mapping_apply_to_study(study)
    workload_move(None, workload_key(study))  # a QA scan is not counted: workload_key is None for it
    return StoredReport(study, stored, Outcome.CREATED)


def _protocols_as_stored(irradiation: Rows) -> list[str]:
    """The counted protocols of a new study's events, in the order the database lists them.

    That order is started_at, then id (bulk_create numbers the rows in list order), with no time last on
    PostgreSQL and first on SQLite; so the QA reason names the protocols as a later report, which reads
    them back, names them.
    """
    nulls_last = connection.features.nulls_order_largest
    ordered = sorted(
        (columns for _, columns in irradiation),
        key=lambda columns: (
            (columns["started_at"] is None) == nulls_last,
            columns["started_at"] or 0,
        ),
    )
    return counted_protocols((columns["protocol"], columns["localizer"]) for columns in ordered)
