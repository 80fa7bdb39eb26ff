"""Faults behind the doors, made real: a broker address that refuses connections, a database that errors,
a storage folder that is full or cannot be written."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from registry.celery import app, broker_breaker


def refusing_broker_url() -> str:
    """A Redis URL on a local port nothing listens on: every connection is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def _use_broker(*, eager: bool, url: str) -> None:
    app.close()  # drops the pooled connections, so the next send connects to `url` ...
    app.amqp._producer_pool = None  # ... and the producers bound to the old transport (as after a fork)
    app.conf.update(task_always_eager=eager, broker_url=url)
    broker_breaker.reset()


@pytest.fixture
def broker(settings: Any) -> Iterator[Callable[[bool], None]]:
    """`broker(False)`: sends go to a broker that refuses them; `broker(True)`: the broker is back (for
    the tests, tasks then run inline as in the embedded set-up). Restored afterwards."""
    before = (app.conf.task_always_eager, app.conf.broker_url)
    refusing = refusing_broker_url()

    def _set(up: bool) -> None:
        _use_broker(eager=True, url=before[1]) if up else _use_broker(eager=False, url=refusing)

    _set(False)
    yield _set
    _use_broker(eager=before[0], url=before[1])


class DatabaseDown:
    """An execute wrapper that fails every query as a database that is restarting does, for a while."""

    def __init__(self, failures: int | None = None) -> None:
        self.remaining = failures  # None: every query fails
        self.raised = 0
        self.active = True

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if self.active and (self.remaining is None or self.remaining > 0):
            if self.remaining is not None:
                self.remaining -= 1
            self.raised += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.fixture
def database_down() -> Iterator[DatabaseDown]:
    """Once the test sets `.active`, every query fails: this thread's connection's, and those of the
    connections other threads open meanwhile (the listener's). Inactive at first, so set-up can use it."""
    down = DatabaseDown()
    down.active = False

    def _wrap_new(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
        connection.execute_wrappers.append(down)

    connection_created.connect(_wrap_new)
    with connection.execute_wrapper(down):
        yield down
    connection_created.disconnect(_wrap_new)


def stored_files(storage: Path, folder: str) -> list[Path]:
    """The files under one ingest folder of the test's storage (temporary files included)."""
    base = storage / folder
    return sorted(path for path in base.rglob("*") if path.is_file()) if base.exists() else []
