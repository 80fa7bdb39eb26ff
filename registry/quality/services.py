"""QA decisions as actions: a physicist flags or unflags a study; a site's QA patient IDs and QA-only devices.

Each service checks the actor's role at the site again, changes the study flags and the workload counts
(registry.statistics.workload) and writes its audit row, in one transaction: statistics, workload and the
trail never disagree about which studies are patients.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from registry.models import Device, QADevice, QAPatient, QASource, Site, Study, actor_user, audit_record
from registry.models.pseudonyms import pseudonym
from registry.quality.access import decision_sites, patient_list_sites, require
from registry.quality.detection import QA_FIELDS, audit_flag_change, qa_reapply, snapshot
from registry.statistics.workload import workload_key, workload_move, workload_recount

REASON_LENGTH = 300


def _reason(text: str) -> str:
    reason = text.strip()
    if not reason:
        raise ValidationError("Say why: the reason is shown wherever the study is listed.")
    if len(reason) > REASON_LENGTH:
        raise ValidationError(f"A reason has at most {REASON_LENGTH} characters.")
    return reason


def _decide(*, actor: Any, study: Study, qa: bool, reason: str) -> Study:
    """A physicist's decision on one study, under the study's lock (a report may be being stored)."""
    require(decision_sites(actor), study.site_id, "Only the site's physicists flag and unflag QA scans.")
    reason = _reason(reason)
    locked = Study.objects.select_for_update().select_related("site").get(pk=study.pk)
    if locked.qa == qa:
        raise ValidationError("The study is a QA scan already." if qa else "The study is not a QA scan.")
    before, counted_as = snapshot(locked), workload_key(locked)
    locked.qa, locked.qa_source, locked.qa_reason = qa, QASource.PHYSICIST, reason
    locked.qa_changed_by, locked.qa_changed_at = actor_user(actor), timezone.now()
    locked.save(update_fields=list(QA_FIELDS))
    workload_move(counted_as, workload_key(locked))
    audit_flag_change(locked, actor=actor, before=before, cause="physicist")
    return locked


@transaction.atomic
def study_qa_flag(*, actor: Any, study: Study, reason: str) -> Study:
    """Flag a study as a QA scan: left out of statistics, alerts and workload from now on."""
    return _decide(actor=actor, study=study, qa=True, reason=reason)


@transaction.atomic
def study_qa_unflag(*, actor: Any, study: Study, reason: str) -> Study:
    """A study is a patient after all: counted again, and the rules will not flag it again."""
    return _decide(actor=actor, study=study, qa=False, reason=reason)


def _reapply(studies: QuerySet[Study], *, actor: Any, site: Site, cause: str) -> dict[str, int]:
    """Decide the studies a list change touches again, recount the site's workload; the counts."""
    changed = qa_reapply(studies, actor=actor, cause=cause)
    if changed:
        workload_recount([site.pk])
    flagged = sum(study.qa for study in changed)
    return {"studies_flagged": flagged, "studies_unflagged": len(changed) - flagged}


@transaction.atomic
def qa_patient_add(*, actor: Any, site: Site, patient_id: str, label: str) -> QAPatient:
    """Put a patient ID on the site's QA list, kept only as its pseudonym; its stored studies are flagged."""
    require(
        patient_list_sites(actor), site.pk, "Only the site's physicists and administrators keep its QA IDs."
    )
    patient_id, label = patient_id.strip(), label.strip()
    if not patient_id or not label:
        raise ValidationError("Give the patient ID and what it is used for.")
    if patient_id.casefold() in label.casefold():
        raise ValidationError("The label must not contain the patient ID: Kerma keeps only its pseudonym.")
    hashed = pseudonym(settings.KERMA_PSEUDONYM_KEY, site.code, "patient", patient_id)
    if QAPatient.objects.filter(site=site, patient_pseudonym=hashed).exists():
        raise ValidationError("This patient ID is on the site's QA list already.")
    listed = QAPatient.objects.create(
        site=site, patient_pseudonym=hashed, label=label[:100], added_by=actor_user(actor)
    )
    listed_studies = Study.objects.filter(site=site, patient_pseudonym=hashed)
    counts = _reapply(listed_studies, actor=actor, site=site, cause="qa_patient.added")
    after = {"label": listed.label}
    audit_record(actor=actor, action="qa_patient.added", obj=listed, site=site, after=after, detail=counts)
    return listed


@transaction.atomic
def qa_patient_remove(*, actor: Any, qa_patient: QAPatient) -> dict[str, int]:
    """Take a patient ID off the site's QA list; its studies are decided again by the other rules."""
    site = qa_patient.site
    require(
        patient_list_sites(actor), site.pk, "Only the site's physicists and administrators keep its QA IDs."
    )
    before = {"label": qa_patient.label}
    studies = Study.objects.filter(site=site, patient_pseudonym=qa_patient.patient_pseudonym)
    removed = qa_patient.pk
    qa_patient.delete()
    qa_patient.pk = removed  # the audit row names the entry that was removed
    counts = _reapply(studies, actor=actor, site=site, cause="qa_patient.removed")
    audit_record(
        actor=actor, action="qa_patient.removed", obj=qa_patient, site=site, before=before, detail=counts
    )
    return counts


def _device_studies(device: Device) -> QuerySet[Study]:
    return Study.objects.filter(pk__in=device.reports.values("study_id"))


@transaction.atomic
def qa_device_mark(*, actor: Any, device: Device, reason: str) -> QADevice:
    """Mark a device QA-only: every study it reported, stored or to come, is a QA scan."""
    site = device.site
    require(decision_sites(actor), site.pk, "Only the site's physicists mark devices QA-only.")
    if QADevice.objects.filter(device=device).exists():
        raise ValidationError("The device is marked QA-only already.")
    marked = QADevice.objects.create(device=device, reason=_reason(reason), marked_by=actor_user(actor))
    counts = _reapply(_device_studies(device), actor=actor, site=site, cause="device.qa_marked")
    after = {"device": str(device), "reason": marked.reason}
    audit_record(actor=actor, action="device.qa_marked", obj=device, site=site, after=after, detail=counts)
    return marked


@transaction.atomic
def qa_device_unmark(*, actor: Any, device: Device) -> dict[str, int]:
    """The device takes patients again; its studies are decided again by the other rules."""
    site = device.site
    require(decision_sites(actor), site.pk, "Only the site's physicists mark devices QA-only.")
    marked = QADevice.objects.filter(device=device).first()
    if marked is None:
        raise ValidationError("The device is not marked QA-only.")
    before = {"device": str(device), "reason": marked.reason}
    marked.delete()
    counts = _reapply(_device_studies(device), actor=actor, site=site, cause="device.qa_unmarked")
    audit_record(
        actor=actor, action="device.qa_unmarked", obj=device, site=site, before=before, detail=counts
    )
    return counts
