"""Pulls are idempotent: what the site has is found again but never retrieved again, and a scheduled run
moves the node's synced-through date, so the next one asks only for the recent days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ingest.models import Submission
from ingest.pacs.models import PacsRun, RunState, Trigger
from ingest.pacs.runs import pacs_runs_plan
from registry.models import DoseReport, Site
from tests.ingest.conftest import Send
from tests.ingest.pacs.conftest import MakeNode, Orthanc
from tests.ingest.pacs.helpers import pull

pytestmark = pytest.mark.django_db(transaction=True)

LOADED = ("CT-RDSR-Siemens-Multi-1.dcm", "CT-RDSR-Siemens-Multi-3.dcm", "RF-RDSR-GE.dcm")


def test_the_same_window_pulled_again_finds_everything_stored_and_retrieves_nothing(
    orthanc: Orthanc, make_node: MakeNode, site: Site
) -> None:
    orthanc.load(*LOADED)
    node = make_node(orthanc.dicom_port)
    first = pull(node)
    before = (Submission.objects.count(), DoseReport.objects.count())
    second = pull(node)
    assert (first.found, first.retrieved) == (3, 3)
    assert (second.state, second.found, second.already_stored, second.retrieved, second.failed) == (
        RunState.SUCCEEDED,
        3,
        3,
        0,
        0,
    )
    assert (Submission.objects.count(), DoseReport.objects.count()) == before == (3, 3)


def test_a_report_the_site_sent_by_another_door_is_not_retrieved(
    orthanc: Orthanc, make_node: MakeNode, send: Send
) -> None:
    orthanc.load(*LOADED)
    send("RF-RDSR-GE.dcm")  # uploaded earlier through the REST API
    run = pull(make_node(orthanc.dicom_port))
    assert (run.found, run.already_stored, run.retrieved) == (3, 1, 2)
    assert Submission.objects.count() == 3


def test_a_scheduled_run_covers_the_backlog_then_only_the_recent_days(
    orthanc: Orthanc, make_node: MakeNode
) -> None:
    orthanc.load(*LOADED)
    node = make_node(orthanc.dicom_port, lookback_days=3)
    today = timezone.localdate()
    [first] = pacs_runs_plan()  # eager Celery: planned and carried out at once
    first.refresh_from_db()
    assert (first.trigger, first.state, first.retrieved) == (Trigger.SCHEDULE, RunState.SUCCEEDED, 3)
    assert (first.window_start, first.window_end) == (dt.date(2013, 1, 1), today)
    node.refresh_from_db()
    assert node.synced_through == today
    [second] = pacs_runs_plan()
    second.refresh_from_db()
    assert (second.window_start, second.window_end) == (today - dt.timedelta(days=3), today)
    assert (second.state, second.found, second.retrieved) == (RunState.SUCCEEDED, 0, 0)
    assert PacsRun.objects.count() == 2
