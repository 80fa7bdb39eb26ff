"""C-STORE under faults behind the listener: success once the report is kept, a transient refusal otherwise.

0x0000 tells the sender the report is ours; 0xA700 (out of resources) tells it to keep the report and try
again later; 0xC000 (cannot understand) would tell it the report is bad, so it is never the answer to an
outage (PS3.4 B.2.3).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydicom import dcmread

from ingest.models import State, Submission
from ingest.scp import OUT_OF_RESOURCES, SUCCESS
from registry.models import AETitle
from tests.conftest import corpus_file
from tests.ingest.faults import DatabaseDown, stored_files
from tests.ingest.scp.conftest import Associate

pytestmark = pytest.mark.django_db(transaction=True)
REPORT = "CT-RDSR-GEPixelMed.dcm"


def _store(associate: Associate, before_sending: Callable[[], None] = lambda: None) -> int:
    dataset = dcmread(corpus_file(REPORT))
    assoc = associate([dataset.SOPClassUID])
    assert assoc.is_established
    before_sending()
    status: int = assoc.send_c_store(dataset).Status
    return status


def test_broker_down_answers_success_and_the_submission_waits(
    broker: Callable[[bool], None], known_ae: AETitle, associate: Associate
) -> None:
    assert _store(associate) == SUCCESS
    submission = Submission.objects.get()
    assert (submission.state, submission.awaiting_queue, submission.queue_failures) == (
        State.RECEIVED,
        True,
        1,
    )


def test_database_down_answers_out_of_resources_and_keeps_nothing(
    database_down: DatabaseDown, known_ae: AETitle, associate: Associate, private_storage: Path
) -> None:
    def _database_goes() -> None:
        database_down.active = True

    status = _store(associate, _database_goes)  # the association is accepted; then the database goes
    database_down.active = False
    assert status == OUT_OF_RESOURCES
    assert database_down.raised >= 1
    assert Submission.objects.count() == 0
    assert stored_files(private_storage, "spool") == []


def test_storage_full_answers_out_of_resources_and_keeps_nothing(
    settings: Any, known_ae: AETitle, associate: Associate, private_storage: Path
) -> None:
    settings.KERMA_STORAGE_MIN_FREE_MB = 2**40  # no disk has a million terabytes free: "full"
    assert _store(associate) == OUT_OF_RESOURCES
    assert Submission.objects.count() == 0
    assert stored_files(private_storage, "spool") == []
