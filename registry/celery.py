"""The Celery application of Kerma, configured from the `CELERY_*` settings, and the one way to enqueue."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

app = Celery("registry")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Finds `tasks.py` in every installed app by name, so registry never has to import ingest.
app.autodiscover_tasks()


def enqueue(task_name: str, *args: object) -> None:
    """Send one task by its registered name (`<module>.<function>`), as `delay` would.

    A service that must queue work names its task instead of importing the task module, which imports the
    service back: no import circle. Each app's `ready()` imports its tasks module, so every process (web,
    listener, worker) has the task registered; eager settings run it inline as `delay` does.
    """
    app.tasks[task_name].delay(*args)
