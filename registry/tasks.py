"""Celery tasks of the registry app."""

from __future__ import annotations

from celery import shared_task


@shared_task
def ping() -> str:
    """Answer "pong", so deployment checks and CI can prove a worker consumes from the broker."""
    return "pong"
