"""The ping task answers "pong" through Celery's own task machinery."""

from __future__ import annotations

from registry.tasks import ping


def test_ping_task_answers_pong() -> None:
    assert ping.apply().get(timeout=5) == "pong"
