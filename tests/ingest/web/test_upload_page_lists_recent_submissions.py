"""The page lists the chosen site's latest submissions, with states and reasons, and no other site's."""

from __future__ import annotations

import pytest
from django.test import Client

from registry.models import Site
from tests.ingest.conftest import Send

pytestmark = pytest.mark.django_db


def test_recent_submissions_of_the_site_are_listed_with_their_reasons(
    uploader_client: Client, send: Send
) -> None:
    send("notes.txt", data=b"plain text")
    send("elsewhere.dcm", data=b"other site", to=Site.objects.create(code="SOUTH-02", name="South Clinic"))
    page = uploader_client.get("/upload/").content.decode()
    assert "Recent submissions for North General Hospital" in page
    assert "notes.txt" in page and "Not a DICOM file: " in page
    assert "elsewhere.dcm" not in page
    assert 'src="/static/js/upload-status.js"' in page
