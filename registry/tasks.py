"""Celery tasks of the registry app."""

from __future__ import annotations

from celery import shared_task

from registry.exports.jobs import job_run


@shared_task
def ping() -> str:
    """Answer "pong", so deployment checks and CI can prove a worker consumes from the broker."""
    return "pong"


@shared_task
def export_job(job_id: int) -> None:
    """Write a large export's file (registry.exports.jobs); the job is its `export.<format>` audit row."""
    job_run(job_id)
