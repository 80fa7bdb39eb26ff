"""`manage.py dicom_listener` says where it listens and stops cleanly on SIGTERM (systemd) or Ctrl-C."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

START_TIMEOUT_SECONDS = 30


def read_until(process: subprocess.Popen[str], pattern: str) -> re.Match[str]:
    """The first stderr line matching `pattern`; fails instead of hanging when it never comes."""
    assert process.stderr is not None
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    seen = []
    while (remaining := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([process.stderr], [], [], remaining)
        line = process.stderr.readline() if ready else ""
        if match := re.search(pattern, line):
            return match
        if not line and process.poll() is not None:
            break
        seen.append(line)
    raise AssertionError(f"no line matching {pattern!r} in:\n{''.join(seen)}")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_the_listener_logs_its_ae_title_and_port_and_stops_on_a_signal(tmp_path: Path, signum: int) -> None:
    env = {**os.environ, "KERMA_ENV_FILE": "", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    command = [sys.executable, "manage.py", "dicom_listener", "--host", "127.0.0.1", "--port", "0"]
    command += ["--ae-title", "KERMA_TEST"]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        started = read_until(process, r"DICOM listener (\S+) listening on 127\.0\.0\.1:(\d+)")
        assert started.group(1) == "KERMA_TEST" and int(started.group(2)) > 0
        process.send_signal(signum)
        read_until(process, r"DICOM listener KERMA_TEST stopped")
        assert process.wait(timeout=START_TIMEOUT_SECONDS) == 0
    finally:
        process.kill()
        process.wait()
