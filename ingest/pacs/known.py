"""What a site already has, by SOP Instance UID: the reads that make a pull retrieve only what is missing.

Reports are identified by SOP Instance UID, never by a hash of their bytes: a PACS re-encodes the dataset
it sends (pacs-notes, "Bytes are re-encoded over DIMSE").
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence

from django.db.models import Q

from ingest.models import Submission
from ingest.pacs.models import INSTANCE_ATTEMPT_LIMIT, PacsMiss, PacsNode
from registry.models import DoseReport, Site

CHUNK = 500  # bounded IN lists


def _chunks(uids: Collection[str]) -> Iterator[Sequence[str]]:
    ordered = sorted(uids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _file_name(uid: str) -> str:
    """The name the listener, STOW-RS and C-GET give a received object (ingest.scp)."""
    return f"{uid}.dcm"


def known_uids(*, site: Site, uids: Collection[str]) -> set[str]:
    """Those of `uids` the site has: stored reports, and submissions in any state (waiting or rejected too).

    A submission takes its SOP Instance UID only once read, so those not read yet, and the rejected ones,
    are found by the file name every DICOM door gives them. A rejected object is not asked for again: it
    would be rejected again.
    """
    known: set[str] = set()
    for chunk in _chunks(uids):
        reports = DoseReport.objects.filter(study__site=site, sop_instance_uid__in=chunk)
        known.update(reports.values_list("sop_instance_uid", flat=True))
        submissions = Submission.objects.filter(site=site, sop_instance_uid__in=chunk)
        known.update(submissions.values_list("sop_instance_uid", flat=True))
        names = {_file_name(uid): uid for uid in chunk}
        received = Submission.objects.filter(site=site, filename__in=list(names))
        known.update(names[name] for name in received.values_list("filename", flat=True))
    return known


def arrived(*, site: Site, uid: str) -> bool:
    """Whether the object has reached Kerma (a submission of the site): the count Kerma trusts."""
    return (
        Submission.objects.filter(site=site)
        .filter(Q(filename=_file_name(uid)) | Q(sop_instance_uid=uid))
        .exists()
    )


def given_up_uids(*, node: PacsNode, uids: Collection[str]) -> set[str]:
    """Those of `uids` the node failed to deliver in INSTANCE_ATTEMPT_LIMIT runs: no longer asked for."""
    given_up: set[str] = set()
    for chunk in _chunks(uids):
        misses = PacsMiss.objects.filter(
            node=node, attempts__gte=INSTANCE_ATTEMPT_LIMIT, sop_instance_uid__in=chunk
        )
        given_up.update(misses.values_list("sop_instance_uid", flat=True))
    return given_up
