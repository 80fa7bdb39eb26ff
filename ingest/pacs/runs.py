"""Pull runs: plan the scheduled ones, queue manual ones, carry one out and record what it found and did.

A run is idempotent: it retrieves only the instances the site does not have yet (`known.known_uids`), so
running a window twice retrieves nothing the second time. It is resumable: a scheduled run covers the
node's days from the first one not yet pulled completely (`PacsNode.synced_through`) to today, and that
date moves only when a run leaves nothing behind, so a window that failed is asked for again next time.
A node that refuses or drops the association is backed off and, after NODE_FAILURE_LIMIT refusals in a
row, paused until an administrator tries it again.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from pynetdicom.association import Association

from ingest.pacs import retrieve
from ingest.pacs.association import PacsQueryError, PacsRefusedError, Peer, opened
from ingest.pacs.known import arrived, given_up_uids, known_uids
from ingest.pacs.models import (
    RUN_STALE_AFTER,
    PacsMiss,
    PacsNode,
    PacsRun,
    RetrieveMethod,
    RunState,
    Trigger,
    backoff,
)
from ingest.pacs.query import FoundInstance, QueryPlan, find_instances
from registry.celery import QueueUnavailableError, enqueue
from registry.models import actor_user, audit_record

logger = logging.getLogger(__name__)

# ingest.tasks imports this module, so the task is named, not imported (registry.celery.enqueue).
PULL_TASK = "ingest.tasks.pull_from_pacs"
RUN_FIELDS = ["found", "already_stored", "retrieved", "failed", "skipped", "updated_at"]
HEARTBEAT_EVERY = dt.timedelta(minutes=1)

Progress = Callable[[int, int], None]  # (retrieved or failed so far, to retrieve in all)


def peer_of(node: PacsNode, *, retrieving: bool = True) -> Peer:
    """How to reach the node; a C-GET node's association also receives the objects it sends back."""
    on_store = None
    if retrieving and node.retrieve_method == RetrieveMethod.GET:
        on_store = retrieve.store_handler(site=node.site, ae_title=node.ae_title)
    return Peer(
        host=node.host,
        port=node.port,
        called_ae=node.ae_title,
        calling_ae=settings.KERMA_DICOM_AE_TITLE,
        timeout_seconds=settings.KERMA_PACS_TIMEOUT_SECONDS,
        on_store=on_store,
    )


def query_plan(node: PacsNode, start: dt.date, end: dt.date, modalities: list[str]) -> QueryPlan:
    return QueryPlan(
        start=start,
        end=end,
        modalities=tuple(modalities),
        station_names=tuple(node.station_names),
        include_images=node.include_images,
    )


def scheduled_window(node: PacsNode, today: dt.date) -> tuple[dt.date, dt.date]:
    """From the first day not yet pulled completely, or the last `lookback_days` if later ones are done
    (objects reach a PACS late), never before `pull_from`, to today."""
    recent = today - dt.timedelta(days=node.lookback_days)
    if node.synced_through is None:
        start = node.pull_from or recent
    else:
        start = min(node.synced_through + dt.timedelta(days=1), recent)
        start = max(start, node.pull_from) if node.pull_from else start
    return min(start, today), today


def _enqueue(run_id: int) -> None:
    """Hand the run to the broker; one it refuses stays queued and is closed as stale, then planned again."""
    try:
        enqueue(PULL_TASK, run_id)
    except QueueUnavailableError as error:
        logger.error("PACS run %s queued but not sent to the broker: %s", run_id, error)
        PacsRun.objects.filter(pk=run_id).update(error=f"the task queue did not take it: {error}"[:2000])


def pacs_run_queue(
    *,
    node: PacsNode,
    start: dt.date,
    end: dt.date,
    trigger: Trigger,
    modalities: list[str] | None = None,
    follows_schedule: bool = False,
    actor: Any = None,
    send: bool = True,
) -> PacsRun:
    """Record a run to do and, once committed, queue its task (`send=False`: the caller carries it out)."""
    with transaction.atomic():
        run = PacsRun.objects.create(
            node=node,
            trigger=trigger,
            window_start=start,
            window_end=end,
            modalities=modalities or list(node.modalities),
            follows_schedule=follows_schedule,
            requested_by=actor_user(actor),
        )
        if trigger == Trigger.MANUAL:
            window = {"start": start.isoformat(), "end": end.isoformat(), "modalities": run.modalities}
            audit_record(actor=actor, action="pacs_run.requested", obj=run, site=node.site, detail=window)
        if send:
            transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _abandon_stale(now: dt.datetime) -> int:
    """Close runs not heard of for RUN_STALE_AFTER (a killed worker, a lost message): their window is
    asked for again by the next scheduled run, since `synced_through` did not move."""
    stale = PacsRun.objects.active().filter(updated_at__lt=now - RUN_STALE_AFTER)
    return stale.update(
        state=RunState.FAILED, error="interrupted: no progress for an hour", finished_at=now, updated_at=now
    )


@transaction.atomic
def _plan_one(node_id: int, today: dt.date) -> PacsRun | None:
    node = PacsNode.objects.select_for_update().select_related("site").get(pk=node_id)
    if node.runs.active().exists():  # the previous run is still going: one run per node at a time
        return None
    start, end = scheduled_window(node, today)
    return pacs_run_queue(node=node, start=start, end=end, trigger=Trigger.SCHEDULE, follows_schedule=True)


def pacs_runs_plan(*, now: dt.datetime | None = None) -> list[PacsRun]:
    """The beat schedule's work: a queued run for every node that is due (enabled, not backed off)."""
    now = now or timezone.now()
    _abandon_stale(now)
    node_ids = list(PacsNode.objects.due(now).values_list("pk", flat=True))
    planned = [_plan_one(node_id, timezone.localdate(now)) for node_id in node_ids]
    return [run for run in planned if run is not None]


def _claim(run_id: int) -> PacsRun | None:
    """Mark a queued run running; None if another attempt took it or it is over (a redelivered message)."""
    now = timezone.now()
    claimed = PacsRun.objects.filter(pk=run_id, state=RunState.QUEUED).update(
        state=RunState.RUNNING, started_at=now, updated_at=now
    )
    return PacsRun.objects.select_related("node__site").get(pk=run_id) if claimed else None


def _sort_out(run: PacsRun, found: list[FoundInstance]) -> list[FoundInstance]:
    """Count what was found, what the site has, what was given up; return what to retrieve."""
    uids = {instance.sop_instance_uid for instance in found}
    known = known_uids(site=run.node.site, uids=uids)
    given_up = given_up_uids(node=run.node, uids=uids - known)
    run.found, run.already_stored, run.skipped = len(uids), len(known), len(given_up)
    run.updated_at = timezone.now()
    run.save(update_fields=RUN_FIELDS)
    leave = known | given_up
    return [instance for instance in found if instance.sop_instance_uid not in leave]


def _record_miss(node: PacsNode, instance: FoundInstance, reason: str) -> None:
    miss, _ = PacsMiss.objects.get_or_create(
        node=node,
        sop_instance_uid=instance.sop_instance_uid,
        defaults={
            "study_instance_uid": instance.study.study_instance_uid,
            "series_instance_uid": instance.series_instance_uid,
        },
    )
    PacsMiss.objects.filter(pk=miss.pk).update(
        attempts=F("attempts") + 1, reason=reason[:500], last_tried_at=timezone.now()
    )


def _retrieve_one(run: PacsRun, assoc: Association, instance: FoundInstance) -> None:
    """Retrieve one instance and count it by what reached Kerma, not by the PACS's counters."""
    node = run.node
    destination = settings.KERMA_DICOM_AE_TITLE if node.retrieve_method == RetrieveMethod.MOVE else None
    if destination is None:
        result = retrieve.get(assoc, instance)
    else:
        result = retrieve.move(assoc, instance, destination)
    if arrived(site=node.site, uid=instance.sop_instance_uid):
        run.retrieved += 1
        PacsMiss.objects.filter(node=node, sop_instance_uid=instance.sop_instance_uid).delete()
    else:
        run.failed += 1
        reason = retrieve.why_missing(result, destination=destination)
        logger.warning("PACS %s: %s not retrieved: %s", node.ae_title, instance.sop_instance_uid, reason)
        _record_miss(node, instance, reason)
    run.updated_at = timezone.now()
    run.save(update_fields=RUN_FIELDS)


def _heartbeat(run: PacsRun) -> Callable[[], None]:
    """Touch the run at most once a minute while it queries, so a long query is not taken for a lost run."""
    last = [timezone.now()]

    def beat() -> None:
        now = timezone.now()
        if now - last[0] >= HEARTBEAT_EVERY:
            last[0] = run.updated_at = now
            PacsRun.objects.filter(pk=run.pk).update(updated_at=now)

    return beat


def _pull(run: PacsRun, progress: Progress | None) -> None:
    node = run.node
    plan = query_plan(node, run.window_start, run.window_end, run.modalities)
    with opened(peer_of(node)) as assoc:
        found = find_instances(assoc, plan, after_study=_heartbeat(run))
        todo = _sort_out(run, found)
        for done, instance in enumerate(todo, start=1):
            _retrieve_one(run, assoc, instance)
            if progress is not None:
                progress(done, len(todo))


def _account(node: PacsNode, run: PacsRun, now: dt.datetime) -> None:
    """A failed run backs the node off; any other resets it and, if nothing is left behind, moves the
    node's `synced_through` to the end of a scheduled window."""
    if run.state in (RunState.FAILED, RunState.REFUSED):
        node.consecutive_failures += 1
        node.retry_after = now + backoff(node.consecutive_failures)
        node.last_error = run.error[:500]
    else:
        node.consecutive_failures, node.retry_after, node.last_error = 0, None, ""
        if run.follows_schedule and run.failed == 0:
            node.synced_through = max(node.synced_through or run.window_end, run.window_end)
    node.save(update_fields=["consecutive_failures", "retry_after", "last_error", "synced_through"])


def _finish(run: PacsRun, state: RunState, error: str = "") -> PacsRun:
    now = timezone.now()
    with transaction.atomic():
        node = PacsNode.objects.select_for_update().get(pk=run.node_id)
        run.state, run.error, run.finished_at, run.updated_at = state, error[:2000], now, now
        run.save(update_fields=["state", "error", "finished_at", "updated_at"])
        _account(node, run, now)
    logger.info(
        "PACS run %s of %s: %s; found %d, already stored %d, retrieved %d, failed %d, given up %d%s",
        run.pk,
        node.ae_title,
        state,
        run.found,
        run.already_stored,
        run.retrieved,
        run.failed,
        run.skipped,
        f" ({error})" if error else "",
    )
    return run


def _internal(error: Exception) -> str:
    """An unexpected error, named by type and place only: its message may quote a C-FIND answer's values."""
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return f"internal error: {type(error).__name__} at {frame.filename}:{frame.lineno}"


def pacs_run_execute(*, run_id: int, progress: Progress | None = None) -> PacsRun:
    """Carry out a queued run: find, compare, retrieve what is missing, record the outcome on run and node."""
    run = _claim(run_id)
    if run is None:
        return PacsRun.objects.get(pk=run_id)
    try:
        _pull(run, progress)
    except PacsRefusedError as error:
        return _finish(run, RunState.REFUSED, str(error))
    except PacsQueryError as error:
        return _finish(run, RunState.FAILED, str(error))
    except Exception as error:
        logger.error("PACS run %s: %s", run.pk, _internal(error))
        return _finish(run, RunState.FAILED, _internal(error))
    return _finish(run, RunState.SUCCEEDED if run.failed == 0 else RunState.PARTIAL)
