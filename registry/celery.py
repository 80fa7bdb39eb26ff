"""The Celery application of Kerma, configured from the `CELERY_*` Django settings."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

app = Celery("registry")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Finds `tasks.py` in every installed app by name, so registry never has to import ingest.
app.autodiscover_tasks()
