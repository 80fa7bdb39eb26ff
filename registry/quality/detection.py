"""Whether a study is a quality-control scan, by the rules: at ingest, and again when a site's lists change.

The rules, the most explicit first; the first that holds gives the reason shown with the study:

1. **Device**: one of the study's reports comes from a device a physicist marked QA-only (QADevice).
2. **Patient ID**: the study's patient pseudonym is on its site's QA patient list (QAPatient), compared as
   pseudonyms, so no raw ID is needed.
3. **Text**: the study description, requested procedure or reported procedure holds a QA pattern
   (registry.quality.patterns), or every irradiation event (localizers aside) names a QA protocol. One
   QA-named sequence among patient sequences is not enough: a patient's study may hold one (an RT
   simulator's "RADIOTHERAPY QA" set-up sequence beside the spiral that scanned the patient).

A physicist's decision (QASource.PHYSICIST) is never changed by the rules, so an unflagged study stays
counted when a later report of it arrives. Reading a batch costs three queries per 500 studies.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from registry.models import (
    Device,
    DoseReport,
    IrradiationEvent,
    QAPatient,
    QASource,
    Study,
    actor_user,
    audit_record,
)
from registry.quality.patterns import qa_pattern_in

BATCH = 500
QA_FIELDS = ("qa", "qa_source", "qa_reason", "qa_changed_by", "qa_changed_at")
_STUDY_TEXTS = (
    ("description", "Study description"),
    ("requested_procedure", "Requested procedure"),
    ("procedure_reported", "Procedure reported"),
)


@dataclass(frozen=True)
class Verdict:
    """Why the rules call a study a QA scan: which rule, and a sentence a physicist can check."""

    source: QASource
    reason: str


def _quoted(text: str, limit: int = 80) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def text_verdict(study: Study, protocols: Sequence[str]) -> Verdict | None:
    """Rule 3: a QA pattern in a study-level text, or in the protocol of every counted event."""
    for field, label in _STUDY_TEXTS:
        text = getattr(study, field)
        if text and (pattern := qa_pattern_in(text)):
            return Verdict(QASource.TEXT, f"{label} {_quoted(text)} matches the QA pattern “{pattern}”")
    patterns = [qa_pattern_in(protocol) for protocol in protocols]
    if protocols and all(patterns):
        named = ", ".join(_quoted(protocol) for protocol in dict.fromkeys(protocols))
        return Verdict(
            QASource.TEXT, f"Every irradiation event names a QA protocol ({named}: “{patterns[0]}”)"
        )
    return None


def _device_verdict(device: Device) -> Verdict:
    return Verdict(QASource.DEVICE, f"Device {_quoted(str(device))} is QA-only: {device.qa_only.reason}")


def _patient_verdict(label: str) -> Verdict:
    return Verdict(QASource.PATIENT, f"Patient ID is on the site's QA list ({_quoted(label)})")


def counted_protocols(events: Iterable[tuple[str, bool | None]]) -> list[str]:
    """The protocols of a study's (protocol, localizer) events that count: localizers aside, unless there
    are only those. An event without a protocol counts as a non-QA name, so a study with an unnamed sequence
    never matches by protocol alone."""
    items = list(events)
    return [protocol for protocol, localizer in items if not localizer] or [protocol for protocol, _ in items]


def _counted_protocols(study_ids: list[int]) -> dict[int, list[str]]:
    """Per study, the counted protocols of its events (`counted_protocols`)."""
    rows = IrradiationEvent.objects.filter(study_id__in=study_ids).values_list(
        "study_id", "protocol", "localizer"
    )
    events: dict[int, list[tuple[str, bool | None]]] = defaultdict(list)
    for study_id, protocol, localizer in rows:
        events[study_id].append((protocol, localizer))
    return {study_id: counted_protocols(items) for study_id, items in events.items()}


def _batch_verdicts(studies: list[Study]) -> dict[int, Verdict | None]:
    ids = [study.pk for study in studies]
    reports = DoseReport.objects.filter(study_id__in=ids, device__qa_only__isnull=False)
    devices = {report.study_id: report.device for report in reports.select_related("device__qa_only")}
    pseudonyms = {study.patient_pseudonym for study in studies if study.patient_pseudonym}
    listed = QAPatient.objects.filter(patient_pseudonym__in=pseudonyms).values_list(
        "site_id", "patient_pseudonym", "label"
    )
    labels = {(site_id, pseudonym): label for site_id, pseudonym, label in listed}
    verdicts: dict[int, Verdict | None] = {}
    for study in studies:
        if study.pk in devices:
            verdicts[study.pk] = _device_verdict(devices[study.pk])
        elif (label := labels.get((study.site_id, study.patient_pseudonym))) is not None:
            verdicts[study.pk] = _patient_verdict(label)
    rest = [study for study in studies if study.pk not in verdicts]
    protocols = _counted_protocols([study.pk for study in rest]) if rest else {}
    for study in rest:
        verdicts[study.pk] = text_verdict(study, protocols.get(study.pk, []))
    return verdicts


def _batches(studies: QuerySet[Study]) -> Iterator[list[Study]]:
    """The studies a few hundred at a time, read by primary key: the caller updates them as it goes."""
    ids = iter(list(studies.order_by("pk").values_list("pk", flat=True)))
    while chunk := list(islice(ids, BATCH)):
        yield list(Study.objects.filter(pk__in=chunk).select_related("site").order_by("pk"))


def snapshot(study: Study) -> dict[str, Any]:
    """A study's QA state as the audit trail keeps it (before and after a change)."""
    return {"qa": study.qa, "source": study.qa_source, "reason": study.qa_reason}


def _decide(study: Study, verdict: Verdict | None, actor: Any) -> bool:
    """Set the rules' verdict on the instance; whether anything changed. A physicist's decision stays."""
    if study.qa_source == QASource.PHYSICIST:
        return False
    wanted = (True, verdict.source, verdict.reason[:300]) if verdict else (False, "", "")
    if (study.qa, study.qa_source, study.qa_reason) == wanted:
        return False
    study.qa, study.qa_source, study.qa_reason = wanted
    study.qa_changed_by, study.qa_changed_at = actor_user(actor), timezone.now()
    return True


def audit_flag_change(study: Study, *, actor: Any, before: dict[str, Any], cause: str) -> None:
    """One audit row per changed flag: who (a person, or "system" for the rules), before and after, why."""
    action = "study.qa_flagged" if study.qa else "study.qa_unflagged"
    audit_record(
        actor=actor or "system",
        action=action,
        obj=study,
        site=study.site,
        before=before,
        after=snapshot(study),
        detail={"cause": cause},
    )


def qa_apply_to_study(study: Study, *, qa_device: Device | None, protocols: Sequence[str]) -> bool:
    """Decide one study being stored by the rules (the ingest path); whether its flag changed.

    Called by registry.store.store_dose_report under the study's lock, with what it holds already: the
    device of the latest of the study's reports that comes from a QA-only device (`qa_device`, None if
    none) and the study's `counted_protocols` in the order the database lists its events. So the rules
    cost one query here (the site's QA patient list, only when no device decides) instead of the three a
    batch takes. A change is saved and audited, with the rules ("system") as its actor; the caller moves
    the study's workload count itself.
    """
    before = snapshot(study)
    verdict = (
        _device_verdict(qa_device) if qa_device is not None else _patient_or_text_verdict(study, protocols)
    )
    if not _decide(study, verdict, actor=None):
        return False
    study.save(update_fields=list(QA_FIELDS))
    audit_flag_change(study, actor=None, before=before, cause="ingest")
    return True


def _patient_or_text_verdict(study: Study, protocols: Sequence[str]) -> Verdict | None:
    """Rules 2 and 3 for one study (`_batch_verdicts` for many)."""
    if study.patient_pseudonym:
        with connection.cursor() as cursor:  # every stored report asks: a statement built once
            cursor.execute(_qa_label_sql(), [study.site_id, study.patient_pseudonym])
            listed = cursor.fetchone()
        if listed is not None:
            return _patient_verdict(listed[0])
    return text_verdict(study, protocols)


@functools.cache
def _qa_label_sql() -> str:
    """The label of the site's QA patient with this pseudonym, if it is on the list (one row at most)."""
    quote = connection.ops.quote_name
    table, label, site, pseudonym = (
        quote(name) for name in (QAPatient._meta.db_table, "label", "site_id", "patient_pseudonym")
    )
    return f"SELECT {label} FROM {table} WHERE {site} = %s AND {pseudonym} = %s LIMIT 1"  # noqa: S608


def qa_reapply(studies: QuerySet[Study], *, actor: Any, cause: str) -> list[Study]:
    """Decide the studies again after a site's QA list changed; the studies whose flag changed, saved.

    Each changed study gets its audit row (`cause`: the list change); the caller recounts the sites'
    workload and audits the list change itself, with the counts.
    """
    changed: list[Study] = []
    for batch in _batches(studies):
        verdicts = _batch_verdicts(batch)
        before = {study.pk: snapshot(study) for study in batch}
        moved = [study for study in batch if _decide(study, verdicts[study.pk], actor)]
        Study.objects.bulk_update(moved, list(QA_FIELDS), batch_size=BATCH)
        for study in moved:
            audit_flag_change(study, actor=actor, before=before[study.pk], cause=cause)
        changed += moved
    return changed
