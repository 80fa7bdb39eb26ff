"""Re-reading stored reports with the current reader, so a reader fix reaches the reports already stored.

Each stored submission kept a de-identified copy of its report (`Submission.stored_file`). Its PatientID
and AccessionNumber are already the site's pseudonyms (ingest.deid), so the reader's dict goes to the
registry as it is: hashing it again would give every patient a second, unlinked pseudonym.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.models import State, Submission
from ingest.rdsr import RdsrError, read
from registry.models import Site
from registry.store import store_dose_report

logger = logging.getLogger(__name__)


@dataclass
class ReprocessSummary:
    """How many reports were re-read, and each that could not be, with the reason."""

    reprocessed: int = 0
    failed: list[tuple[Submission, str]] = field(default_factory=list)


def stored_submissions(*, site: Site | None = None, since: dt.date | None = None) -> list[Submission]:
    """Stored submissions with a report copy, oldest first: cumulative reports merge in arrival order."""
    found = Submission.objects.filter(state=State.STORED).exclude(stored_file="").select_related("site")
    if site is not None:
        found = found.for_site(site)
    if since is not None:
        found = found.filter(received_at__date__gte=since)
    return list(found.order_by("received_at", "pk"))


def report_reprocess(submission: Submission) -> None:
    """Re-read one stored copy and update its report, events and study in place."""
    with submission.stored_file.open("rb") as stored:
        report = read(stored.read()).as_dict()
    store_dose_report(site=submission.site, report=report, reprocess=True)


def reports_reprocess(
    submissions: list[Submission], *, progress: Callable[[Submission], None] | None = None
) -> ReprocessSummary:
    """Re-read stored reports (`stored_submissions`) with the current reader.

    A report that no longer reads (or whose copy is missing) is counted as failed and left as stored;
    one failure never stops the others.
    """
    summary = ReprocessSummary()
    for submission in submissions:
        try:
            report_reprocess(submission)
        except (RdsrError, OSError) as error:
            logger.warning("reprocess of submission %s failed: %s", submission.pk, error)
            summary.failed.append((submission, str(error)))
        else:
            summary.reprocessed += 1
        if progress is not None:
            progress(submission)
    return summary
