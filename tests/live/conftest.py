"""Live end-to-end fixtures: the real database, the web server and the DICOM listener as processes.

These tests run only in CI's live stage (`KERMA_LIVE_CELERY=1`, see .ci/run): PostgreSQL migrated, Redis
up and a Celery worker consuming from it. They use the configured database itself, not a test copy,
because the worker, the web server and the listener are other processes that must see the same rows.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.conftest import PROJECT_ROOT

LIVE = os.environ.get("KERMA_LIVE_CELERY") == "1"
pytestmark = pytest.mark.skipif(
    not LIVE, reason="needs PostgreSQL, Redis and a Celery worker: KERMA_LIVE_CELERY=1"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/live/" in str(item.fspath):
            item.add_marker(pytest.mark.live)
            if not LIVE:
                reason = "needs PostgreSQL, Redis and a Celery worker: KERMA_LIVE_CELERY=1 (.ci/run)"
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def django_db_setup() -> None:
    """Use the database DATABASE_URL names (migrated by .ci/run), shared with the worker processes."""


@pytest.fixture
def live_db(django_db_blocker: object) -> Iterator[None]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        yield


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited early:\n{log.read_text()[-3000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after 60 s:\n{log.read_text()[-3000:]}")


def start(
    command: list[str], port: int | None, log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start one of our processes with this environment (plus `env`); wait until it listens on `port`."""
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own manage.py / gunicorn / celery
            command,
            cwd=PROJECT_ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
    if port is not None:
        _wait_for_port(port, process, log)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """gunicorn serving the portal, as in production (docs/deployment.md)."""
    port = free_port()
    log = tmp_path_factory.mktemp("web") / "gunicorn.log"
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = start([gunicorn, "registry.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"], port, log)
    yield f"http://127.0.0.1:{port}"
    stop(process)


@pytest.fixture(scope="session")
def dicom_listener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    log = tmp_path_factory.mktemp("scp") / "listener.log"
    command = [sys.executable, "manage.py", "dicom_listener", "--host", "127.0.0.1", "--port", str(port)]
    process = start(command, port, log)
    yield port
    stop(process)


@dataclass(frozen=True)
class LiveSite:
    code: str
    token: str
    ae_title: str


@pytest.fixture
def live_site(live_db: None) -> LiveSite:
    """A fresh site (unique code) with an upload token and a DICOM AE title."""
    from registry.models import AETitle, Site, UploadToken

    suffix = uuid.uuid4().hex[:8].upper()
    site = Site.objects.create(code=f"LIVE-{suffix}", name="Live test site")
    _, secret = UploadToken.issue(site, label="live test")
    ae_title = AETitle.objects.create(site=site, ae_title=f"LIVE{suffix}").ae_title
    return LiveSite(site.code, secret, ae_title)


def wait_until_final(ids: Iterable[object], timeout: float = 90) -> dict[str, str]:
    """Poll the shared database until the worker has put every submission in a final state."""
    from ingest.models import FINAL_STATES, Submission

    wanted = [str(pk) for pk in ids]
    deadline = time.monotonic() + timeout
    while True:
        states = {
            str(pk): state
            for pk, state in Submission.objects.filter(pk__in=wanted).values_list("pk", "state")
        }
        if len(states) == len(wanted) and all(state in FINAL_STATES for state in states.values()):
            return states
        if time.monotonic() > deadline:
            raise AssertionError(f"submissions not final after {timeout} s: {states}")
        time.sleep(0.3)


def get_json(url: str, token: str) -> dict[str, object]:
    response = requests.get(url, headers={"Authorization": f"Token {token}"}, timeout=30)
    response.raise_for_status()
    body: dict[str, object] = response.json()
    return body
