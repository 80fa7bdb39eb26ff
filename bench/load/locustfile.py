"""Locust scenario: each user is one hospital sending its own unique dose reports by REST and STOW-RS in turn.

Started by bench/load/run.py, which writes the pools and the hospitals file first. By hand:

    KERMA_LOAD_HOSPITALS=hospitals.json KERMA_LOAD_THINK=2,8 \
        .venv/bin/locust -f bench/load/locustfile.py --headless -u 50 -r 10 -t 10m --host http://127.0.0.1:8000

`KERMA_LOAD_HOSPITALS` is a JSON list of {code, token, pool} (bench.load.payloads.Hospital): the n-th user
sends as the n-th hospital with `Authorization: Token <token>` (docs/api.md), one report of its pool per
task, never the same file twice. Between two reports a hospital waits a uniform `KERMA_LOAD_THINK` seconds
(MIN,MAX; default 2,8: a report every 5 s on average), and its first report comes after a random part of
MAX, so the hospitals do not send in step.
"""

from __future__ import annotations

import itertools
import logging
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from locust import HttpUser, between, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.load.payloads import (
    STOW_CONTENT_TYPE,
    Hospital,
    hospitals_read,
    pool_files,
    stow_body,
    think_time,
)

logger = logging.getLogger(__name__)

THINK_MIN, THINK_MAX = think_time(os.environ.get("KERMA_LOAD_THINK", "2,8"))
REST_NAME = "REST /api/v1/submissions/"
STOW_NAME = "STOW-RS /dicomweb/studies"
TIMEOUT_S = 120
_user_numbers = itertools.count()


@cache
def hospitals() -> list[Hospital]:
    return hospitals_read(Path(os.environ["KERMA_LOAD_HOSPITALS"]))


class HospitalUser(HttpUser):
    """One hospital's sender (a PACS or dose-management system forwarding each finished study's SR)."""

    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self) -> None:
        number = next(_user_numbers)
        if number >= len(hospitals()):
            logger.error("user %d has no hospital: the hospitals file lists %d", number, len(hospitals()))
            raise StopUser()
        self.hospital = hospitals()[number]
        self.reports: Iterator[Path] = iter(pool_files(Path(self.hospital.pool)))
        doors: list[Callable[[str, bytes], None]] = [self.send_rest, self.send_stow]
        self.doors = itertools.cycle(doors if number % 2 == 0 else doors[::-1])
        self.client.headers["Authorization"] = f"Token {self.hospital.token}"
        time.sleep(random.uniform(0, THINK_MAX))  # noqa: S311 - spreading start times, not a secret

    @task
    def send_next_report(self) -> None:
        path = next(self.reports, None)
        if path is None:
            logger.warning("hospital %s has sent its whole pool; it stops", self.hospital.code)
            raise StopUser()
        next(self.doors)(path.name, path.read_bytes())

    def send_rest(self, name: str, data: bytes) -> None:
        """POST /api/v1/submissions/ (multipart/form-data, field `file`): 202 when received."""
        files = {"file": (name, data, "application/dicom")}
        with self.client.post(
            "/api/v1/submissions/", files=files, name=REST_NAME, catch_response=True, timeout=TIMEOUT_S
        ) as response:
            if response.status_code != 202:
                response.failure(f"HTTP {response.status_code}: {response.text[:300]}")

    def send_stow(self, name: str, data: bytes) -> None:
        """POST /dicomweb/studies (multipart/related): 200 when every instance is accepted."""
        headers = {"Content-Type": STOW_CONTENT_TYPE, "Accept": "application/dicom+json"}
        with self.client.post(
            "/dicomweb/studies",
            data=stow_body(data),
            headers=headers,
            name=STOW_NAME,
            catch_response=True,
            timeout=TIMEOUT_S,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} for {name}: {response.text[:300]}")
