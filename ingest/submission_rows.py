"""The worker's statements on its own submission row: claim it, lock it, finish it, one statement each.

A report's whole task is about twenty milliseconds, and Django compiling a query costs about as much as the
database answering it (docs/performance.md, "Where a report's time goes"). These three statements are sent
by every task and never change shape, so each is built once from the model's fields and sent with the
values Django prepares (`get_db_prep_value`, `get_db_prep_save`): the claim is one UPDATE that returns the
row, the lock reads only the state, and the finish writes only what processing changed.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.db import connection
from django.db.models import Field
from django.utils import timezone

from ingest.models import FINAL_STATES, State, Submission
from registry.models import Site
from registry.row_inserts import model_from_row

logger = logging.getLogger(__name__)

# What processing sets on a submission; the rest (site, channel, sizes, checksum, sender) never changes.
FINISHED_FIELDS = (
    "state",
    "finished_at",
    "spool",
    "stored_file",
    "awaiting_queue",
    "sop_instance_uid",
    "outcome",
    "study",
    "dose_report",
    "error_kind",
    "error_message",
)


def submission_claim(submission_id: str) -> Submission | None:
    """Mark a submission processing and count the attempt, unless it is final; the row with its site.

    One UPDATE in autocommit that returns the row (its lock is held for that statement only), then the site
    by its key: a killed attempt stays visible as `processing` with its attempt counted. Two attempts of
    the same submission may both pass here; `submission_lock` lets only the first one store.
    """
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(), [State.PROCESSING, _key(submission_id), *sorted(FINAL_STATES)])
        row = cursor.fetchone()
    if row is None:
        return None
    submission = model_from_row(Submission, row)
    submission.site = Site.objects.get(pk=submission.site_id)
    return submission


def submission_lock(submission: Submission) -> Submission | None:
    """Lock the row for the storing transaction; the row as it is now if it is final (another attempt won).

    Only the state is read: the rare final case reads the row again.
    """
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(), [_key(submission.pk)])
        (state,) = cursor.fetchone()
    return Submission.objects.get(pk=submission.pk) if state in FINAL_STATES else None


def submission_finish(submission: Submission, state: State) -> str:
    """Save the submission in its final state, its spool emptied; returns the spool file to remove."""
    spool_name = submission.spool.name or ""
    submission.state = state
    submission.finished_at = timezone.now()
    submission.spool.name = ""
    submission.awaiting_queue = False
    sql, fields = _finish_sql()
    values = [field.get_db_prep_save(field.pre_save(submission, add=False), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, _key(submission.pk)])
    logger.info("submission %s %s", submission.pk, state)
    return spool_name


def _key(submission_id: Any) -> Any:
    submission_pk = Submission._meta.pk
    assert submission_pk is not None  # noqa: S101 - for the type checker: every model has one
    return submission_pk.get_db_prep_value(submission_id, connection)


def _quoted(*names: str) -> tuple[str, ...]:
    return tuple(connection.ops.quote_name(name) for name in names)


@functools.cache
def _claim_sql() -> str:
    """UPDATE ... RETURNING every column (PostgreSQL, SQLite 3.35+), in the model's field order."""
    table, state, attempts, key = _quoted(Submission._meta.db_table, "state", "attempts", "id")
    returned = ", ".join(_quoted(*(str(field.column) for field in Submission._meta.concrete_fields)))
    final = ", ".join(["%s"] * len(FINAL_STATES))
    return (
        f"UPDATE {table} SET {state} = %s, {attempts} = {attempts} + 1 "  # noqa: S608 - names of the model
        f"WHERE {key} = %s AND {state} NOT IN ({final}) RETURNING {returned}"
    )


@functools.cache
def _lock_sql() -> str:
    """SELECT state ... FOR UPDATE (a plain SELECT where the backend takes no row locks: SQLite)."""
    table, state, key = _quoted(Submission._meta.db_table, "state", "id")
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return f"SELECT {state} FROM {table} WHERE {key} = %s{lock}"  # noqa: S608 - names of the model


@functools.cache
def _finish_sql() -> tuple[str, tuple[Field[Any, Any], ...]]:
    """UPDATE ... SET each of FINISHED_FIELDS, and those fields in the order of their placeholders."""
    by_name = {field.name: field for field in Submission._meta.concrete_fields}
    fields = tuple(by_name[name] for name in FINISHED_FIELDS)
    table, key = _quoted(Submission._meta.db_table, "id")
    assignments = ", ".join(f"{column} = %s" for column in _quoted(*(str(field.column) for field in fields)))
    return f"UPDATE {table} SET {assignments} WHERE {key} = %s", fields  # noqa: S608 - names of the model
