"""How a submission's state is shown: one dict for the status endpoint, mirrored by the page's rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from ingest.models import State, Submission, SubmissionQuerySet
from registry.templatetags.dose import dicom_text

# The reader's error kinds (ingest.rdsr.errors) and the pipeline's own, in words for the upload page.
ERROR_KIND_LABELS = {
    "not_dicom": "Not a DICOM file",
    "not_a_dose_report": "Not a dose report",
    "malformed": "Damaged dose report",
    "unsupported": "Dose report of a kind Kerma does not read yet",
    "internal": "Internal error (it is retried)",
    "spool_missing": "The received file was lost",
}
WAITING_LABEL = "Received, waiting for the queue"
WAITING_MESSAGE = "Kept safely: the task queue was unreachable; it is processed once the queue is back."


def error_kind_label(kind: str) -> str:
    """An error kind in words; a kind without words (a future reader's) is shown as it is."""
    return ERROR_KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def submission_status(submission: Submission) -> dict[str, Any]:
    """The JSON the upload page polls: state, reason when rejected or failed, the study once stored."""
    study = submission.study
    waiting = submission.awaiting_queue and not submission.is_final
    return {
        "id": str(submission.pk),
        "filename": submission.filename,
        # Folder and archive paths make long names; the page shows the last part, the full one on hover.
        "short_name": submission.filename.rsplit("/", 1)[-1] or "(no name)",
        "state": submission.state,
        "state_label": WAITING_LABEL if waiting else State(submission.state).label,
        "final": submission.is_final,
        "error_kind": "" if waiting else submission.error_kind,
        "error_kind_label": "" if waiting else error_kind_label(submission.error_kind),
        "error_message": WAITING_MESSAGE if waiting else submission.error_message,
        "study": None
        if study is None
        else {
            "id": study.pk,
            "url": reverse("study", args=[study.pk]),
            "date": study.study_date.isoformat() if study.study_date else None,
            "modality": study.modality,
            "description": dicom_text(study.description),  # "Thorax^Routine" reads "Thorax Routine"
        },
    }


def queue_health(submissions: SubmissionQuerySet, *, hours: int = 24) -> dict[str, Any]:
    """What the upload page says about the task queue for these submissions (one site's).

    `waiting`: received and kept but not yet taken by the broker; `failures`: how often the broker refused
    a message of a submission received in the last `hours`; `last_error`: the most recent refusal.
    """
    since = timezone.now() - timedelta(hours=hours)
    recent = submissions.filter(received_at__gte=since, queue_failures__gt=0)
    failures = recent.aggregate(total=Sum("queue_failures"))["total"] or 0
    errors = recent.exclude(queue_error="").order_by("-received_at").values_list("queue_error", flat=True)
    return {
        "waiting": submissions.awaiting_queue().count(),
        "failures": failures,
        "hours": hours,
        "last_error": errors.first() or "",
    }
