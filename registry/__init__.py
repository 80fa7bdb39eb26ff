"""Kerma's project package and registry domain app; loads Celery with Django so `shared_task` binds to it."""

from registry.celery import app as celery_app

__all__ = ["celery_app"]
