"""The status endpoint never shows a submission of a site the user may not see, even when asked by id."""

from __future__ import annotations

import pytest
from django.test import Client

from registry.models import Site
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db


def test_another_sites_submission_is_left_out_of_the_status(uploader_client: Client, send: Send) -> None:
    other = Site.objects.create(code="SOUTH-02", name="South Clinic")
    theirs = send("DX-RDSR-Canon_CXDI.dcm", to=other)
    ours = send("CT-RDSR-Siemens-Multi-3.dcm")
    body = uploader_client.get(f"/upload/status/?ids={theirs.pk},{ours.pk}").json()
    assert [row["id"] for row in body["submissions"]] == [str(ours.pk)]
