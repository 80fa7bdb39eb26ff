"""The Celery application of Kerma, configured from the `CELERY_*` settings, and the one way to enqueue."""

from __future__ import annotations

import gc
import os
import threading
import time

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

app = Celery("registry")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Finds `tasks.py` in every installed app by name, so registry never has to import ingest.
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _database_connections_as_for_a_request(sender: Task | None = None, **_: object) -> None:
    """Before and after each task in a worker, Django's connection rule, as around a web request.

    Drops a connection older than CONN_MAX_AGE or one that failed (a database restart, a failover), so the
    next task connects afresh, and keeps a healthy one: a worker stores a report in one connection's round
    trips, not a new connection's handshake. Celery's own fixup closes them only every
    CELERY_DB_REUSE_MAX tasks (settings). An eager task runs inside its caller's request or transaction,
    whose connection is not the task's to close.
    """
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections  # Django is set up by the time a task runs

    close_old_connections()


@worker_process_init.connect
def _startup_objects_out_of_the_collector(**_: object) -> None:
    """Move what a worker process holds once set up (Django, its models, pydicom's dictionaries) out of
    the cyclic garbage collector's sight (`gc.freeze`).

    Those objects live as long as the process, yet every full collection walked all of them again, and a
    report's task allocates enough (parse tree, ORM rows) to set collections off: freezing them took about
    1.3 ms off a CT report's median in the worker (docs/performance.md, "Where a report's time goes").
    """
    gc.collect()
    gc.freeze()


class QueueUnavailableError(Exception):
    """The broker did not take the message (down, unreachable, refusing): the work is not queued.

    Raised only when tasks go through a broker; with eager settings the task runs inline and its own
    errors propagate unchanged, so a caller can tell "not queued" from "the work failed".
    """


# After the broker refused a message, the next sends fail at once for this long instead of each waiting for
# the connection timeout again: a STOW request of many parts, or a requeue run, stays quick while the broker
# is down. What was not sent waits in the database for the requeue schedule.
BROKER_PAUSE_SECONDS = 10.0


class _BrokerBreaker:
    """Remembers, per process, until when the broker is taken to be down."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._reason = ""

    def check(self) -> None:
        with self._lock:
            if time.monotonic() < self._down_until:
                raise QueueUnavailableError(f"{self._reason} (not retried for {BROKER_PAUSE_SECONDS:.0f} s)")

    def trip(self, reason: str) -> None:
        with self._lock:
            self._down_until, self._reason = time.monotonic() + BROKER_PAUSE_SECONDS, reason

    def reset(self) -> None:
        with self._lock:
            self._down_until, self._reason = 0.0, ""


broker_breaker = _BrokerBreaker()


def enqueue(task_name: str, *args: object) -> None:
    """Send one task by its registered name (`<module>.<function>`), as `delay` would.

    A service that must queue work names its task instead of importing the task module, which imports the
    service back: no import circle. Each app's `ready()` imports its tasks module, so every process (web,
    listener, worker) has the task registered; eager settings run it inline as `delay` does. Whatever the
    broker's client raises (kombu's OperationalError, redis' ConnectionError, a socket error) becomes
    QueueUnavailableError, so callers handle one exception for "the broker did not take it".
    """
    task = app.tasks[task_name]
    if app.conf.task_always_eager:
        task.delay(*args)
        return
    broker_breaker.check()
    try:
        task.delay(*args)
    except Exception as error:  # the client library's own kinds vary by transport
        reason = f"{type(error).__name__}: {error}"
        broker_breaker.trip(reason)
        raise QueueUnavailableError(reason) from error
