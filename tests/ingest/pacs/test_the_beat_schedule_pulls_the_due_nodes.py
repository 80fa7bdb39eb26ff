"""Celery beat pulls the PACS nodes every hour: its entry plans a run for each due node, as its own task."""

from __future__ import annotations

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from ingest.pacs.models import PacsRun, RunState, Trigger
from registry.celery import app
from tests.ingest.pacs.conftest import MakeNode, free_port

pytestmark = pytest.mark.django_db(transaction=True)  # the scheduler closes old connections, as beat does
ENTRY = "pull-from-pacs"


def test_beat_installs_the_pull_every_hour() -> None:
    DatabaseScheduler(app=app)  # what `celery beat --scheduler django_celery_beat...` does when it starts
    entry = PeriodicTask.objects.get(name=ENTRY)
    assert entry.task == "ingest.tasks.pull_from_pacs"
    assert (entry.interval.every, entry.interval.period) == (3600, "seconds")


def test_the_entry_runs_each_enabled_node_once_and_skips_disabled_ones(make_node: MakeNode) -> None:
    make_node(free_port(), name="Refusing PACS")
    make_node(free_port(), name="Switched off", enabled=False)
    entry = app.conf.beat_schedule[ENTRY]
    assert app.tasks[entry["task"]].apply().get() == 1  # one run planned (and, eagerly, carried out)
    run = PacsRun.objects.get()
    assert (run.node.name, run.trigger, run.state) == ("Refusing PACS", Trigger.SCHEDULE, RunState.REFUSED)
