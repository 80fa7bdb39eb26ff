"""An object the PACS does not deliver fails the run in part: it is asked for again by the next runs, and
given up after INSTANCE_ATTEMPT_LIMIT of them, so it cannot hold the node's window open for ever."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from ingest.pacs.models import INSTANCE_ATTEMPT_LIMIT, PacsMiss, PacsNode, PacsRun, RunState
from ingest.pacs.nodes import pacs_node_resume
from ingest.pacs.runs import pacs_runs_plan
from registry.models import AETitle, Role
from tests.conftest import person
from tests.ingest.pacs.conftest import ORTHANC_AE, MakeNode, Orthanc
from tests.ingest.pacs.helpers import pull, sop_instance_uids

pytestmark = pytest.mark.django_db(transaction=True)


def scheduled_run() -> PacsRun:
    [run] = pacs_runs_plan()
    run.refresh_from_db()
    return run


@pytest.fixture
def refused_deliveries(orthanc: Orthanc, make_node: MakeNode) -> PacsNode:
    """A C-MOVE node whose deliveries Kerma's listener refuses: its AE title is no longer a site's."""
    orthanc.load("RF-RDSR-GE.dcm")
    node = make_node(orthanc.dicom_port)
    AETitle.objects.filter(ae_title=ORTHANC_AE).delete()
    return node


def test_a_move_the_listener_refuses_is_a_partial_run_naming_the_possible_causes(
    refused_deliveries: PacsNode,
) -> None:
    run = scheduled_run()
    assert (run.state, run.found, run.retrieved, run.failed) == (RunState.PARTIAL, 1, 0, 1)
    miss = PacsMiss.objects.get()
    assert (miss.sop_instance_uid, miss.attempts) == (*sop_instance_uids("RF-RDSR-GE.dcm"), 1)
    assert miss.reason.startswith("the PACS could not deliver it (status 0xC000)")
    assert "the listener may refuse the PACS's AE title" in miss.reason
    refused_deliveries.refresh_from_db()
    # The node answered: no backoff, but its window stays open for the next run.
    assert (refused_deliveries.consecutive_failures, refused_deliveries.synced_through) == (0, None)


def test_after_the_attempt_limit_the_object_is_skipped_and_the_window_closes(
    refused_deliveries: PacsNode,
) -> None:
    runs = [scheduled_run() for _ in range(INSTANCE_ATTEMPT_LIMIT + 1)]
    assert [(run.state, run.failed, run.skipped) for run in runs] == [
        (RunState.PARTIAL, 1, 0),
        (RunState.PARTIAL, 1, 0),
        (RunState.PARTIAL, 1, 0),
        (RunState.SUCCEEDED, 0, 1),
    ]
    refused_deliveries.refresh_from_db()
    assert refused_deliveries.synced_through == timezone.localdate()


def test_a_given_up_object_is_retrieved_once_an_administrator_tries_again(
    refused_deliveries: PacsNode,
) -> None:
    for _ in range(INSTANCE_ATTEMPT_LIMIT):
        scheduled_run()
    AETitle.objects.create(site=refused_deliveries.site, ae_title=ORTHANC_AE)  # the cause is fixed
    assert pacs_node_resume(actor="test", node=refused_deliveries) == 1
    run = pull(refused_deliveries)
    assert (run.state, run.retrieved, run.skipped) == (RunState.SUCCEEDED, 1, 0)
    assert not PacsMiss.objects.exists()


def test_the_node_page_lists_the_object_that_did_not_come_and_why(
    refused_deliveries: PacsNode, client: Client
) -> None:
    scheduled_run()
    client.force_login(person("admin", (refused_deliveries.site, Role.ADMINISTRATOR)))
    page = " ".join(client.get(f"/pacs/{refused_deliveries.pk}/").content.decode().split())
    [uid] = sop_instance_uids("RF-RDSR-GE.dcm")
    assert f"<code>{uid}</code>" in page
    assert "the PACS could not deliver it (status 0xC000)" in page
    assert "Some not retrieved" in page
