"""The upload page links each stored file to its study, names error kinds in words, and shows the batch
just sent once (a later visit lists it under the site's recent submissions only)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import strip_tags

from ingest.models import State, Submission
from tests.ingest.web.conftest import Post, corpus_upload

pytestmark = pytest.mark.django_db


def test_a_stored_file_links_to_its_study_and_a_rejected_one_says_why(
    post_upload: Post, uploader_client: Client
) -> None:
    page = post_upload(corpus_upload("CT-RDSR-GEPixelMed.dcm"), SimpleUploadedFile("notes.txt", b"not DICOM"))
    html = page.content.decode()
    stored = Submission.objects.get(state=State.STORED)
    assert f'<a href="/studies/{stored.study_id}/">Study {stored.study_id}</a>' in html
    text = " ".join(strip_tags(html).split())
    assert "Not a DICOM file: " in text
    assert "not_dicom" not in text
    assert text.count(f"Study {stored.study_id}") == 2  # in "This upload" and in "Recent"

    again = uploader_client.get(
        page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"]
    ).content.decode()
    assert "This upload" not in again
    assert len(re.findall(rf"Study {stored.study_id}\b", again)) == 1
