"""Queue depth over a load run: Celery's Redis queue and the submissions not yet final, every few seconds."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from types import TracebackType

import redis

QUEUE = "celery"  # Celery's default queue: a Redis list of that name
UNACKED = "unacked"  # acks_late tasks a worker holds (prefetched or running): a Redis hash


@dataclass(frozen=True)
class Sample:
    t_s: float
    phase: str
    queued: int
    reserved: int
    pending: int
    stored: int
    load1: float


class QueueSampler:
    """A thread taking a `Sample` at once and then every `interval` seconds until the block ends.

    `phase` ("load", then "drain" once locust has stopped) is set by the caller and recorded with each sample.
    """

    def __init__(self, redis_url: str, interval: float) -> None:
        self.redis = redis.Redis.from_url(redis_url)
        self.interval = interval
        self.phase = "load"
        self.samples: list[Sample] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="queue-sampler", daemon=True)
        self._started = 0.0

    def __enter__(self) -> QueueSampler:
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self.redis.close()

    def _run(self) -> None:
        from django.db import connection

        try:
            while True:
                self._sample()
                if self._stop.wait(self.interval):
                    return
        finally:
            connection.close()

    def _sample(self) -> None:
        from ingest.models import State, Submission

        try:
            queued, reserved = int(self.redis.llen(QUEUE)), int(self.redis.hlen(UNACKED))
            pending = Submission.objects.pending().count()
            stored = Submission.objects.filter(state=State.STORED).count()
        except Exception as error:
            self.errors.append(f"{time.monotonic() - self._started:.0f} s: {error!r}")
            return
        t_s = time.monotonic() - self._started
        self.samples.append(Sample(t_s, self.phase, queued, reserved, pending, stored, os.getloadavg()[0]))
