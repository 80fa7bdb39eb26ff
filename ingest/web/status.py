"""How a submission's state is shown: one dict for the status endpoint, mirrored by the page's rows."""

from __future__ import annotations

from typing import Any

from ingest.models import State, Submission


def submission_status(submission: Submission) -> dict[str, Any]:
    """The JSON the upload page polls: state, reason when rejected or failed, the study once stored."""
    study = submission.study
    return {
        "id": str(submission.pk),
        "filename": submission.filename,
        # Folder and archive paths make long names; the page shows the last part, the full one on hover.
        "short_name": submission.filename.rsplit("/", 1)[-1] or "(no name)",
        "state": submission.state,
        "state_label": State(submission.state).label,
        "final": submission.is_final,
        "error_kind": submission.error_kind,
        "error_message": submission.error_message,
        "study": None
        if study is None
        else {
            "id": study.pk,
            "date": study.study_date.isoformat() if study.study_date else None,
            "modality": study.modality,
            "description": study.description,
        },
    }
