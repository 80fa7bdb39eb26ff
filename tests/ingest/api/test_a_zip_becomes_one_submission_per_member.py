"""A ZIP in `file` is expanded: one submission per member, all listed in the 202."""

from __future__ import annotations

import io
import zipfile

import pytest

from ingest.models import Submission
from tests.conftest import corpus_file
from tests.ingest.api.conftest import Post

pytestmark = pytest.mark.django_db


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, corpus_file(name).read_bytes())
    return buffer.getvalue()


def test_each_zip_member_is_a_submission_listed_in_the_answer(post_file: Post) -> None:
    names = ["CT-RDSR-Siemens-Multi-1.dcm", "DX-RDSR-Canon_CXDI.dcm"]
    response = post_file("batch.zip", data=_zip(*names))
    assert response.status_code == 202
    listed = response.json()["submissions"]
    assert sorted(entry["filename"] for entry in listed) == [f"batch.zip/{name}" for name in names]
    assert set(Submission.objects.values_list("state", flat=True)) == {"stored"}
    assert "Location" not in response


def test_an_empty_zip_is_refused(post_file: Post) -> None:
    response = post_file("empty.zip", data=_zip())
    assert response.status_code == 400
    assert Submission.objects.count() == 0
