"""A real Celery worker consumes from the Redis broker and returns results (run by .ci/run)."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from registry.tasks import ping

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        os.environ.get("KERMA_LIVE_CELERY") != "1",
        reason="needs a Celery worker on Redis: KERMA_LIVE_CELERY=1",
    ),
]


def test_ping_sent_through_the_broker_comes_back_as_pong() -> None:
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "set CELERY_BROKER_URL so the task leaves this process"
    assert ping.delay().get(timeout=30) == "pong"
