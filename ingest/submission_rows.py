"""The worker's statements on its own submission row: claim it, lock it, finish it, one statement each.

A report's whole task is a few dozen milliseconds, and Django compiling a query costs about as much as the
database answering it (docs/performance.md, "Where a report's time goes"); so the three statements every
task sends about its submission are the smallest that keep their meaning: the claim is one UPDATE that
returns the row, the lock reads only the state, and the finish writes only what processing changed.
"""

from __future__ import annotations

import functools
import logging

from django.db import connection
from django.utils import timezone

from ingest.models import FINAL_STATES, State, Submission
from registry.models import Site

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


@functools.cache
def _claim_sql() -> tuple[str, list[str]]:
    """UPDATE ... RETURNING every column (PostgreSQL, SQLite 3.35+), and the attribute names in that order."""
    meta, quote = Submission._meta, connection.ops.quote_name
    fields = meta.concrete_fields
    final = ", ".join(["%s"] * len(FINAL_STATES))
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {quote('state')} = %s, "  # noqa: S608 - names from the model
        f"{quote('attempts')} = {quote('attempts')} + 1 "
        f"WHERE {quote('id')} = %s AND {quote('state')} NOT IN ({final}) "
        f"RETURNING {', '.join(quote(str(field.column)) for field in fields)}"
    )
    return sql, [field.attname for field in fields]


def submission_claim(submission_id: str) -> Submission | None:
    """Mark a submission processing and count the attempt, unless it is final; the row with its site.

    One UPDATE in autocommit that returns the row (its lock is held for that statement only), then the site
    by its key: a killed attempt stays visible as `processing` with its attempt counted. Two attempts of
    the same submission may both pass here; `submission_lock` lets only the first one store.
    """
    sql, attnames = _claim_sql()
    submission_pk = Submission._meta.pk
    assert submission_pk is not None  # noqa: S101 - for the type checker: every model has one
    key = submission_pk.get_db_prep_value(submission_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [State.PROCESSING, key, *sorted(FINAL_STATES)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for field, value in zip(Submission._meta.concrete_fields, row, strict=True):
        column = field.cached_col  # converted as the ORM converts a selected column (SQLite: UUIDs, dates)
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            value = convert(value, column, connection)
        values.append(value)
    submission = Submission.from_db(connection.alias, attnames, values)
    submission.site = Site.objects.get(pk=submission.site_id)
    return submission


def submission_lock(submission: Submission) -> Submission | None:
    """Lock the row for the storing transaction; the row as it is now if it is final (another attempt won).

    Only the state is read: the rare final case reads the row again.
    """
    rows = Submission.objects.select_for_update().filter(pk=submission.pk)
    if rows.values_list("state", flat=True).get() in FINAL_STATES:
        return Submission.objects.get(pk=submission.pk)
    return None


def submission_finish(submission: Submission, state: State) -> str:
    """Save the submission in its final state, its spool emptied; returns the spool file to remove."""
    spool_name = submission.spool.name or ""
    submission.state = state
    submission.finished_at = timezone.now()
    submission.spool.name = ""
    submission.awaiting_queue = False
    submission.save(update_fields=FINISHED_FIELDS)
    logger.info("submission %s %s", submission.pk, state)
    return spool_name
