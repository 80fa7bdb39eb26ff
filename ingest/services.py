"""Receiving and processing submissions: spool the bytes and answer at once, read and store later.

Every receiving path (web form, REST, STOW-RS, C-STORE, command line) calls `submission_receive`, which
stores the bytes, records the submission and enqueues the Celery task when the transaction commits; the
sender never waits for parsing. The paths that take files or ZIP archives (web form, REST, command line) go
through `uploads_receive`, which expands each upload and receives its members. The task calls
`submission_process`, which is idempotent: a submission in a final state is left alone, so a redelivered
message after a worker crash does no harm.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import uuid
import zipfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ingest.models import Channel, State, Submission
from ingest.rdsr import RdsrError
from ingest.reading import read_and_deidentify
from registry.celery import enqueue
from registry.models import Site, actor_user
from registry.store import Outcome, store_dose_report

logger = logging.getLogger(__name__)

MAX_ZIP_MEMBERS = 10_000
# ingest.tasks imports this module, so the task is named, not imported (registry.celery.enqueue).
PROCESS_TASK = "ingest.tasks.process_submission"


class UploadTooLargeError(Exception):
    """The upload exceeds KERMA_MAX_UPLOAD_BYTES (or a ZIP holds too many files): refused, nothing stored."""

    def __init__(self, size: int, limit: int, unit: str = "bytes") -> None:
        super().__init__(f"upload of {size} {unit} exceeds the limit of {limit} {unit}")
        self.size, self.limit, self.unit = size, limit, unit


def check_size(size: int) -> None:
    """Refuse what is larger than the configured limit, so a sender learns it at once (HTTP 413)."""
    limit = settings.KERMA_MAX_UPLOAD_BYTES
    if size > limit:
        raise UploadTooLargeError(size, limit)


def submission_receive(
    *,
    site: Site,
    data: bytes,
    channel: Channel,
    filename: str = "",
    user: User | AnonymousUser | None = None,
    calling_ae_title: str = "",
) -> Submission:
    """Spool one file and queue it for processing once the surrounding transaction commits."""
    check_size(len(data))
    submission = Submission(
        id=uuid.uuid4(),
        site=site,
        channel=channel,
        filename=filename[:255],
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor_user(user),
        calling_ae_title=calling_ae_title,
    )
    submission.spool.save(f"{submission.id}.dcm", ContentFile(data), save=False)
    submission.save()
    transaction.on_commit(lambda: _enqueue(submission.pk))
    logger.info("submission %s received from site %s via %s", submission.pk, site.code, channel)
    return submission


def _enqueue(submission_id: uuid.UUID) -> None:
    enqueue(PROCESS_TASK, str(submission_id))


def expand_upload(filename: str, data: bytes) -> list[tuple[str, bytes]]:
    """The files of one upload: the file itself, or each member of a ZIP archive (no nested archives).

    Members are checked against the limits before they are decompressed, so a ZIP bomb is refused rather
    than unpacked, and the whole archive is expanded before anything is stored, so a refused archive
    stores nothing. A damaged archive is passed on as it is: the reader then rejects it with a reason.
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return _as_is(filename, data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [member for member in archive.infolist() if not member.is_dir()]
            if len(members) > MAX_ZIP_MEMBERS:
                raise UploadTooLargeError(len(members), MAX_ZIP_MEMBERS, "files")
            check_size(sum(member.file_size for member in members))
            return [(f"{filename}/{member.filename}", archive.read(member)) for member in members]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError):
        return _as_is(filename, data)


def _as_is(filename: str, data: bytes) -> list[tuple[str, bytes]]:
    # Checked here rather than by submission_receive, so an oversize file is refused as an upload, as an
    # oversize archive is, before anything of the upload is stored.
    check_size(len(data))
    return [(filename, data)]


@dataclass(frozen=True)
class Upload:
    """One file as its sender named it: a dose report, or a ZIP archive of dose reports."""

    name: str
    data: bytes


@dataclass
class UploadsReceived:
    """What became of some uploads.

    `refused`: uploads refused whole (over the limits), of which nothing was stored; `failed`: members that
    could not be received (only with `atomic=False`); `skipped`: members whose SHA-256 was in `skip_sha256`.
    """

    submissions: list[Submission] = field(default_factory=list)
    refused: list[tuple[str, UploadTooLargeError]] = field(default_factory=list)
    failed: list[tuple[str, Exception]] = field(default_factory=list)
    skipped: int = 0


def uploads_receive(
    *,
    site: Site,
    uploads: Iterable[Upload],
    channel: Channel,
    user: User | AnonymousUser | None = None,
    skip_sha256: Collection[str] = frozenset(),
    atomic: bool = True,
) -> UploadsReceived:
    """Expand each upload completely, then receive each of its members as one submission.

    An upload over the limits is refused before any of it is stored, and the next one is received.
    `atomic` receives an upload's members in one transaction, all or none (web form, REST). Without it each
    member commits on its own (command line): with inline processing (no broker) each is processed as it is
    received, and a member that fails is listed in `failed` while the others go on.
    """
    received = UploadsReceived()
    receive = functools.partial(submission_receive, site=site, channel=channel, user=user)
    for upload in uploads:
        try:
            members = expand_upload(upload.name, upload.data)
        except UploadTooLargeError as error:
            received.refused.append((upload.name, error))
            continue
        _receive_members(_unseen(members, skip_sha256, received), received, receive, atomic=atomic)
    return received


def _unseen(
    members: list[tuple[str, bytes]], skip_sha256: Collection[str], received: UploadsReceived
) -> list[tuple[str, bytes]]:
    if not skip_sha256:
        return members
    unseen = [(name, data) for name, data in members if hashlib.sha256(data).hexdigest() not in skip_sha256]
    received.skipped += len(members) - len(unseen)
    return unseen


def _receive_members(
    members: list[tuple[str, bytes]],
    received: UploadsReceived,
    receive: functools.partial[Submission],
    *,
    atomic: bool,
) -> None:
    if atomic:
        with transaction.atomic():
            received.submissions += [receive(data=data, filename=name) for name, data in members]
        return
    for name, data in members:
        try:
            received.submissions.append(receive(data=data, filename=name))
        except Exception as error:  # inline (eager) processing re-raises; the task recorded it as failed
            received.failed.append((name, error))


def _claim(submission_id: str) -> Submission | None:
    """Move a submission to processing, unless it is already final (idempotence for redelivery)."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related("site").get(pk=submission_id)
        if submission.is_final:
            return None
        submission.state = State.PROCESSING
        submission.attempts += 1
        submission.save(update_fields=["state", "attempts"])
        return submission


def _finish(submission: Submission, state: State) -> None:
    submission.state = state
    submission.finished_at = timezone.now()
    submission.save()
    if submission.spool:
        submission.spool.delete(save=False)
        Submission.objects.filter(pk=submission.pk).update(spool="")
    logger.info("submission %s %s", submission.pk, state)


def submission_process(submission_id: str) -> Submission:
    """Read, de-identify and store one submission; a reader error rejects it with kind and message."""
    submission = _claim(submission_id)
    if submission is None:
        return Submission.objects.get(pk=submission_id)
    with submission.spool.open("rb") as spooled:
        data = spooled.read()
    try:
        result = read_and_deidentify(data, key=settings.KERMA_PSEUDONYM_KEY, site_code=submission.site.code)
    except RdsrError as error:
        submission.error_kind, submission.error_message = error.kind, error.message
        _finish(submission, State.REJECTED)
        return submission
    submission.sop_instance_uid = str(result.report["sop_instance_uid"])
    submission.stored_file.save(
        f"{submission.site.code}/{submission.pk}.dcm", ContentFile(result.deidentified), save=False
    )
    stored = store_dose_report(site=submission.site, report=result.report)
    submission.study, submission.dose_report = stored.study, stored.report
    submission.outcome = stored.outcome.value
    _finish(submission, State.DUPLICATE if stored.outcome is Outcome.DUPLICATE else State.STORED)
    return submission


def submission_fail(submission_id: str, error: BaseException) -> None:
    """Record an unexpected error; the bytes stay in the spool so the submission can be retried."""
    Submission.objects.filter(pk=submission_id).exclude(state__in=[State.STORED, State.DUPLICATE]).update(
        state=State.FAILED, error_kind="internal", error_message=f"{type(error).__name__}: {error}"[:2000]
    )


def submissions_requeue(*, older_than: timedelta, site: Site | None = None) -> int:
    """Queue again every submission stuck before a final state for longer than `older_than`.

    A message can be lost while a submission waits (Redis restarted without persistence, a worker killed
    after its task was acknowledged); the submission and its spooled bytes remain, so queueing it again is
    safe: the task is idempotent. Returns how many were queued.
    """
    stuck = Submission.objects.pending().filter(received_at__lt=timezone.now() - older_than).exclude(spool="")
    if site is not None:
        stuck = stuck.filter(site=site)
    ids = list(stuck.values_list("pk", flat=True))
    for submission_id in ids:
        _enqueue(submission_id)
    if ids:
        logger.info("requeued %d pending submissions", len(ids))
    return len(ids)
