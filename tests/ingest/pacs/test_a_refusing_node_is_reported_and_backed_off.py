"""A node that cannot be reached, or that drops the association because it does not know Kerma's AE title,
is reported on the run and backed off; after NODE_FAILURE_LIMIT refusals in a row it is paused, and the
window it refused is asked for again once it answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from ingest.models import Submission
from ingest.pacs.models import NODE_FAILURE_LIMIT, PacsNode, PacsRun, RunState, backoff
from ingest.pacs.nodes import pacs_node_resume
from ingest.pacs.runs import pacs_runs_plan
from tests.ingest.pacs.conftest import MakeNode, Orthanc, free_port
from tests.ingest.pacs.helpers import pull

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_closed_port_is_reported_as_unreachable_on_the_run(make_node: MakeNode) -> None:
    node = make_node(free_port())
    run = pull(node)
    assert run.state == RunState.REFUSED
    assert run.error.startswith("could not connect to ORTHANC at 127.0.0.1:")
    assert (run.found, run.retrieved) == (0, 0)
    node.refresh_from_db()
    assert (node.consecutive_failures, node.last_error) == (1, run.error)


def test_a_pacs_that_does_not_know_kermas_ae_title_is_reported_as_refusing(
    orthanc: Orthanc, make_node: MakeNode
) -> None:
    orthanc.load("RF-RDSR-GE.dcm")
    with override_settings(KERMA_DICOM_AE_TITLE="STRANGER"):
        run = pull(make_node(orthanc.dicom_port))
    assert run.state == RunState.REFUSED
    assert "aborted the association: is Kerma's AE title (STRANGER) declared on the PACS" in run.error
    assert not Submission.objects.exists()


def test_a_refused_node_waits_out_its_backoff_before_the_schedule_tries_again(make_node: MakeNode) -> None:
    node = make_node(free_port())
    [run] = pacs_runs_plan()
    run.refresh_from_db()
    assert run.state == RunState.REFUSED
    node.refresh_from_db()
    assert node.retry_after is not None and run.finished_at is not None
    assert node.retry_after - run.finished_at == backoff(1) == dt.timedelta(minutes=10)
    assert pacs_runs_plan() == []  # still backing off
    assert pacs_runs_plan(now=node.retry_after + dt.timedelta(seconds=1)) != []


def test_after_the_failure_limit_the_schedule_leaves_the_node_alone(make_node: MakeNode) -> None:
    node = make_node(free_port())
    later = timezone.now()
    for _ in range(NODE_FAILURE_LIMIT):
        pacs_runs_plan(now=later)
        later += dt.timedelta(days=1)  # past any backoff
    node.refresh_from_db()
    assert node.paused and node.consecutive_failures == NODE_FAILURE_LIMIT == 8
    assert pacs_runs_plan(now=later + dt.timedelta(days=30)) == []
    assert PacsRun.objects.filter(state=RunState.REFUSED).count() == NODE_FAILURE_LIMIT


def test_the_refused_window_is_pulled_once_the_node_answers(orthanc: Orthanc, make_node: MakeNode) -> None:
    orthanc.load("RF-RDSR-GE.dcm", "MG-RDSR-Hologic_2D.dcm")
    node = make_node(free_port())
    [refused] = pacs_runs_plan()
    PacsNode.objects.filter(pk=node.pk).update(port=orthanc.dicom_port)  # the administrator fixes the port
    pacs_node_resume(actor="test", node=node)
    [resumed] = pacs_runs_plan()
    resumed.refresh_from_db()
    refused.refresh_from_db()
    assert (refused.state, resumed.state) == (RunState.REFUSED, RunState.SUCCEEDED)
    assert resumed.window_start == refused.window_start == dt.date(2013, 1, 1)
    assert resumed.retrieved == 2
