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
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ingest.models import Channel, State, Submission
from ingest.rdsr import RdsrError
from ingest.reading import read_and_deidentify
from ingest.submission_rows import submission_claim, submission_finish, submission_lock
from registry.celery import QueueUnavailableError, enqueue
from registry.models import Site, actor_user
from registry.storage import StorageUnavailableError, check_room
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


# The spool files written inside `receiving_atomically`, so they can be removed if its transaction fails.
_spooled_here: ContextVar[list[str] | None] = ContextVar("spooled_here", default=None)


def submission_receive(
    *,
    site: Site,
    data: bytes,
    channel: Channel,
    filename: str = "",
    user: User | AnonymousUser | None = None,
    calling_ae_title: str = "",
) -> Submission:
    """Spool one file and queue it for processing once the surrounding transaction commits.

    Raises UploadTooLargeError (over the size limit) or StorageUnavailableError (storage full or not
    writable) before anything is kept. Once the row and the bytes are committed the submission is received
    whatever the broker does: a refused message leaves it waiting for the requeue schedule (`_enqueue`).
    """
    check_size(len(data))
    check_room(len(data))
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
    try:
        submission.spool.save(f"{submission.id}.dcm", ContentFile(data), save=False)
    except OSError as error:
        raise StorageUnavailableError.of(error) from error
    spool_name = submission.spool.name or ""
    try:
        submission.save()
    except BaseException:
        _delete_quietly(spool_name)
        raise
    spooled = _spooled_here.get()
    if spooled is not None:
        spooled.append(spool_name)
    transaction.on_commit(lambda: _enqueue(submission.pk))
    logger.info("submission %s received from site %s via %s", submission.pk, site.code, channel)
    return submission


@contextmanager
def receiving_atomically() -> Iterator[None]:
    """Receive several files in one transaction: all or none, bytes included.

    Django removes the rows of a transaction that fails, but not the files written meanwhile; those are
    removed here, so a refused request leaves no spool file without its row.
    """
    names: list[str] = []
    token = _spooled_here.set(names)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for name in names:
            _delete_quietly(name)
        raise
    finally:
        _spooled_here.reset(token)


def _delete_quietly(name: str) -> None:
    """Remove a file the caller no longer needs; a failure is logged (check_storage finds what is left)."""
    if not name:
        return
    try:
        default_storage.delete(name)
    except OSError as error:
        logger.warning("could not remove %s: %s", name, error)


def _enqueue(submission_id: uuid.UUID | str) -> bool:
    """Hand one submission to the broker; if it refuses, record that and leave the submission waiting.

    Called after the submission committed, so the sender is answered success either way: the bytes and the
    row are kept and the requeue schedule sends the message once the broker is back.
    """
    try:
        enqueue(PROCESS_TASK, str(submission_id))
    except QueueUnavailableError as error:
        logger.error(
            "submission %s received but not queued, it waits for the requeue: %s", submission_id, error
        )
        try:
            Submission.objects.filter(pk=submission_id).update(
                awaiting_queue=True, queue_failures=F("queue_failures") + 1, queue_error=str(error)[:500]
            )
        except DatabaseError as db_error:  # the row is committed; the requeue's age rule still finds it
            logger.error("submission %s: could not record the queue failure: %s", submission_id, db_error)
        return False
    return True


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
        with receiving_atomically():
            received.submissions += [receive(data=data, filename=name) for name, data in members]
        return
    for name, data in members:
        try:
            received.submissions.append(receive(data=data, filename=name))
        except Exception as error:  # inline (eager) processing re-raises; the task recorded it as failed
            received.failed.append((name, error))


def _spooled_bytes(submission: Submission) -> bytes:
    with submission.spool.open("rb") as spooled:
        return spooled.read()


def _spool_lost(submission: Submission) -> Submission:
    """The row's bytes are gone from storage (deleted by hand, a lost volume): failed for good, with why.

    Retrying cannot help, so the spool reference is cleared and the requeue leaves it alone;
    `manage.py check_storage` lists such rows, and the sender has to send the report again.
    """
    logger.error("submission %s: its spooled file %s is missing", submission.pk, submission.spool.name)
    submission.state, submission.error_kind = State.FAILED, "spool_missing"
    submission.error_message = "the received file is missing from storage; send the report again"
    submission.spool.name = ""
    submission.save()
    return submission


def submission_process(submission_id: str) -> Submission:
    """Read, de-identify and store one submission, exactly once, whatever fails or is retried.

    - A reader error rejects it with the error's kind and message.
    - In one transaction: the report is stored (or found to be a duplicate, a SOP Instance UID the site
      stored before: then nothing is written, no copy either), then its de-identified copy is written whole
      under the submission's name (registry.storage), then the submission is finished. A worker killed
      before the commit leaves nothing stored, and at most a copy no row points to, which the retry writes
      again under the same name; killed after it, the submission is final and a redelivered message leaves
      it alone (`submission_claim`).
    """
    submission = submission_claim(submission_id)
    if submission is None:
        return Submission.objects.get(pk=submission_id)
    try:
        data = _spooled_bytes(submission)
    except FileNotFoundError:
        return _spool_lost(submission)
    key = settings.KERMA_PSEUDONYM_KEY
    try:
        result = read_and_deidentify(data, key=key, site_code=submission.site.code)
    except RdsrError as error:
        submission.error_kind, submission.error_message = error.kind, error.message
        with transaction.atomic():
            spool_name = submission_finish(submission, State.REJECTED)
        _delete_quietly(spool_name)
        return submission
    submission.sop_instance_uid = str(result.report["sop_instance_uid"])
    return _store(submission, result.report, result.deidentified)


def _store(submission: Submission, report: dict[str, object], copy: bytes) -> Submission:
    """Store the report, write its copy unless it is a duplicate, and finish: one transaction."""
    copy_name = ""
    try:
        with transaction.atomic():
            # Locked first, as every attempt does: a second attempt of the same submission waits here and
            # then finds it final, so it neither stores twice nor touches the copy the first one kept.
            if (current := submission_lock(submission)) is not None:
                return current
            stored = store_dose_report(site=submission.site, report=report)
            submission.study, submission.dose_report = stored.study, stored.report
            submission.outcome = stored.outcome.value
            duplicate = stored.outcome is Outcome.DUPLICATE
            if not duplicate:
                name = f"reports/{submission.site.code}/{submission.pk}.dcm"
                copy_name = default_storage.save(name, ContentFile(copy))
                submission.stored_file.name = copy_name
            spool_name = submission_finish(submission, State.DUPLICATE if duplicate else State.STORED)
    except BaseException:
        _delete_quietly(copy_name)  # nothing committed points to it
        raise
    _delete_quietly(spool_name)
    return submission


def submission_fail(submission_id: str, error: BaseException) -> None:
    """Record an unexpected error; the bytes stay in the spool so the submission can be retried."""
    Submission.objects.filter(pk=submission_id).exclude(state__in=[State.STORED, State.DUPLICATE]).update(
        state=State.FAILED, error_kind="internal", error_message=f"{type(error).__name__}: {error}"[:2000]
    )


def submissions_requeue(*, older_than: timedelta, site: Site | None = None) -> int:
    """Queue again the submissions the broker never took, and those stuck for longer than `older_than`.

    A submission waits before a final state when the broker refused its message (`awaiting_queue`: queued
    again at once) or when a message was lost after it was taken (Redis restarted without persistence, a
    worker killed after acknowledging): those are queued again once `older_than` has passed. The
    submission and its spooled bytes remain, so queueing again is safe: the task is idempotent. Stops at the
    first refusal (the broker is still down; the next run tries again). Returns how many were queued.
    """
    waiting = Submission.objects.pending().exclude(spool="")
    waiting = waiting.filter(Q(awaiting_queue=True) | Q(received_at__lt=timezone.now() - older_than))
    if site is not None:
        waiting = waiting.filter(site=site)
    queued: list[uuid.UUID] = []
    for submission_id in waiting.order_by("received_at").values_list("pk", flat=True).iterator():
        if not _enqueue(submission_id):
            break
        queued.append(submission_id)
    for start in range(0, len(queued), 500):  # bounded IN lists after a long outage
        batch = queued[start : start + 500]
        Submission.objects.filter(pk__in=batch, awaiting_queue=True).update(awaiting_queue=False)
    if queued:
        logger.info("requeued %d waiting submissions", len(queued))
    return len(queued)
