"""The status endpoint the page polls gives each submission's state, reason and study."""

from __future__ import annotations

import pytest
from django.test import Client

from ingest.models import Channel, State
from ingest.services import submission_receive
from registry.models import Site
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db


def test_status_gives_stored_rejected_and_waiting_submissions(
    uploader_client: Client, send: Send, site: Site
) -> None:
    stored = send("CT-RDSR-Siemens-Multi-3.dcm")
    rejected = send("notes.txt", data=b"plain text")
    waiting = submission_receive(site=site, data=b"later", channel=Channel.WEB)  # its task never runs here
    response = uploader_client.get(f"/upload/status/?ids={stored.pk},{rejected.pk},{waiting.pk}")
    body = response.json()
    rows = {row["id"]: row for row in body["submissions"]}
    assert rows[str(stored.pk)]["state"] == State.STORED
    assert rows[str(stored.pk)]["study"]["date"] == "2018-01-05"
    assert (rows[str(rejected.pk)]["state"], rows[str(rejected.pk)]["error_kind"]) == (
        "rejected",
        "not_dicom",
    )
    assert (rows[str(waiting.pk)]["state"], rows[str(waiting.pk)]["final"]) == ("received", False)
    assert body["done"] is False


def test_malformed_ids_are_a_bad_request(uploader_client: Client) -> None:
    assert uploader_client.get("/upload/status/?ids=not-a-uuid").status_code == 400
