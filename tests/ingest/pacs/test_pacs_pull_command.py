"""`manage.py pacs_pull` pulls every enabled node now and says what each run did; a node that refuses
makes it exit 1, and --preview retrieves nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ingest.models import Submission
from ingest.pacs.models import PacsRun, RunState, Trigger
from tests.ingest.pacs.conftest import MakeNode, Orthanc, free_port

pytestmark = pytest.mark.django_db(transaction=True)

WINDOW = ("--since", "2015-01-01", "--until", "2019-12-31")


def test_each_node_is_pulled_and_its_counts_printed(orthanc: Orthanc, make_node: MakeNode) -> None:
    orthanc.load("RF-RDSR-GE.dcm", "MG-RDSR-Hologic_2D.dcm", "MG-RDSR-GEPristina-DBT.dcm")  # DBT is of 2023
    make_node(orthanc.dicom_port)
    out = StringIO()
    call_command("pacs_pull", *WINDOW, stdout=out)
    assert (
        "2015-01-01 to 2019-12-31: Complete: found 2, already stored 0, retrieved 2, failed 0"
        in out.getvalue()
    )
    run = PacsRun.objects.get()
    assert (run.trigger, run.follows_schedule) == (Trigger.COMMAND, False)
    assert Submission.objects.count() == 2


def test_without_dates_the_node_s_own_window_is_pulled_and_moved_on(
    orthanc: Orthanc, make_node: MakeNode
) -> None:
    orthanc.load("RF-RDSR-GE.dcm")
    node = make_node(orthanc.dicom_port)
    call_command("pacs_pull", stdout=StringIO())
    node.refresh_from_db()
    run = PacsRun.objects.get()
    assert (run.window_start.isoformat(), run.retrieved) == ("2013-01-01", 1)
    assert node.synced_through == run.window_end


def test_preview_says_what_would_come_and_retrieves_nothing(orthanc: Orthanc, make_node: MakeNode) -> None:
    orthanc.load("RF-RDSR-GE.dcm", "MG-RDSR-Hologic_2D.dcm")
    make_node(orthanc.dicom_port)
    out = StringIO()
    call_command("pacs_pull", *WINDOW, "--preview", stdout=out)
    assert "2 studies, 2 dose objects, 0 already stored, 2 to retrieve" in out.getvalue()
    assert not Submission.objects.exists() and not PacsRun.objects.exists()


def test_a_refusing_node_is_named_and_the_command_fails(make_node: MakeNode) -> None:
    make_node(free_port())
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 node"):
        call_command("pacs_pull", *WINDOW, stdout=out)
    counts = "found 0, already stored 0, retrieved 0, failed 0, given up 0"
    assert f": Refused by the PACS: {counts}; could not connect to ORTHANC at 127.0.0.1:" in out.getvalue()
    assert PacsRun.objects.get().state == RunState.REFUSED


def test_no_node_is_a_clear_error(site: object) -> None:
    with pytest.raises(CommandError, match="no PACS node matches"):
        call_command("pacs_pull")
