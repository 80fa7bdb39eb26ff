"""A file the reader refuses is still accepted at once; its status then says why it was rejected."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.ingest.api.conftest import Post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("negative/CT-SC-Philips_Brilliance16P.dcm", None, "not_a_dose_report"),
        ("notes.txt", b"this is not DICOM at all", "not_dicom"),
    ],
)
def test_the_status_of_a_rejected_file_gives_kind_and_message(
    post_file: Post, api: APIClient, name: str, data: bytes | None, kind: str
) -> None:
    response = post_file(name, data=data)
    assert response.status_code == 202
    status = api.get(response.json()["submissions"][0]["status_url"]).json()
    assert status["state"] == "rejected"
    assert status["error_kind"] == kind
    assert status["error_message"]
    assert status["study"] is None
