"""A manual query shows, study by study, what a pull of its window would retrieve without retrieving it;
confirming queues that pull as a run of its own, recorded with who asked for it."""

from __future__ import annotations

import pytest
from django.test import Client

from ingest.models import Submission
from ingest.pacs.models import PacsNode, PacsRun, RunState, Trigger
from registry.models import AuditEvent, Role, Site
from tests.conftest import person
from tests.ingest.conftest import Send
from tests.ingest.pacs.conftest import MakeNode, Orthanc
from tests.ingest.pacs.helpers import header

pytestmark = pytest.mark.django_db(transaction=True)

MULTI = ("CT-RDSR-Siemens-Multi-1.dcm", "CT-RDSR-Siemens-Multi-2.dcm", "CT-RDSR-Siemens-Multi-3.dcm")
WINDOW_2018 = {"date_from": "2018-01-01", "date_to": "2018-01-31"}  # Multi is dated 2018-01-05


def text(html: bytes) -> str:
    """The page with its whitespace collapsed, as a reader sees it."""
    return " ".join(html.decode().split())


@pytest.fixture
def node(orthanc: Orthanc, make_node: MakeNode, send: Send) -> PacsNode:
    """Multi's three reports and two reports of other years in the PACS; Multi-1 sent earlier by REST."""
    orthanc.load(*MULTI, "RF-RDSR-GE.dcm", "MG-RDSR-Hologic_2D.dcm")
    send(MULTI[0])
    return make_node(orthanc.dicom_port)


@pytest.fixture
def administrator(client: Client, site: Site) -> Client:
    client.force_login(person("admin", (site, Role.ADMINISTRATOR)))
    return client


def test_the_preview_counts_what_is_stored_and_what_would_come(node: PacsNode, administrator: Client) -> None:
    page = text(administrator.get(f"/pacs/{node.pk}/query/", WINDOW_2018).content)
    assert "1 study, 3 dose objects: 1 already stored, 2 to retrieve." in page
    assert header(MULTI[0]).StudyInstanceUID in page
    assert "Retrieve 2 objects" in page
    assert Submission.objects.count() == 1 and not PacsRun.objects.exists()


def test_the_preview_names_why_the_pacs_refused(node: PacsNode, administrator: Client) -> None:
    PacsNode.objects.filter(pk=node.pk).update(port=9)  # nothing listens on the discard port
    page = text(administrator.get(f"/pacs/{node.pk}/query/", WINDOW_2018).content)
    assert "could not connect to ORTHANC at 127.0.0.1:9" in page


def test_confirming_queues_a_manual_run_that_retrieves_the_rest(
    node: PacsNode, administrator: Client
) -> None:
    response = administrator.post(f"/pacs/{node.pk}/query/", {**WINDOW_2018, "modality": "SR"})
    assert response.status_code == 302 and response["Location"] == f"/pacs/{node.pk}/"
    run = PacsRun.objects.get()  # eager Celery: carried out before the redirect
    assert (run.trigger, run.requested_by.username if run.requested_by else None) == (Trigger.MANUAL, "admin")
    assert (run.state, run.found, run.already_stored, run.retrieved) == (RunState.SUCCEEDED, 3, 1, 2)
    assert Submission.objects.count() == 3
    assert AuditEvent.objects.get(action="pacs_run.requested").detail == {
        "start": "2018-01-01",
        "end": "2018-01-31",
        "modalities": ["SR"],
    }
    page = text(administrator.get(response["Location"]).content)
    assert "2018-01-01 to 2018-01-31, SR" in page and "Complete" in page
