"""`uploads_receive`, the one service of the upload page, the REST API and `manage.py ingest`."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.test import override_settings

from ingest.models import Channel, Submission
from ingest.services import Upload, submission_receive, uploads_receive
from registry.models import Site
from tests.conftest import corpus_file

pytestmark = pytest.mark.django_db

CT, DX = "CT-RDSR-Siemens-Multi-1.dcm", "DX-RDSR-Canon_CXDI.dcm"  # 9990 and 8748 bytes


def _zip(*names: str) -> Upload:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, corpus_file(name).read_bytes())
    return Upload("batch.zip", buffer.getvalue())


def _file(name: str) -> Upload:
    return Upload(name, corpus_file(name).read_bytes())


def _crash_on(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def receive(**kwargs: object) -> Submission:
        if str(kwargs["filename"]).endswith(name):
            raise RuntimeError("storage went away")
        return submission_receive(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("ingest.services.submission_receive", receive)


def test_each_member_of_an_archive_becomes_a_submission_named_after_both(site: Site) -> None:
    received = uploads_receive(site=site, uploads=[_zip(CT, DX)], channel=Channel.API)
    assert [s.filename for s in received.submissions] == [f"batch.zip/{CT}", f"batch.zip/{DX}"]
    assert (received.refused, received.failed, received.skipped) == ([], [], 0)


@override_settings(KERMA_MAX_UPLOAD_BYTES=15_000)
def test_an_archive_over_the_limit_stores_nothing_and_the_next_upload_is_received(
    site: Site, private_storage: Path
) -> None:
    received = uploads_receive(site=site, uploads=[_zip(CT, DX), _file(DX)], channel=Channel.WEB)
    [(name, error)] = received.refused
    assert (name, error.size, error.limit) == ("batch.zip", 9990 + 8748, 15_000)
    assert [s.filename for s in received.submissions] == [DX]
    assert list(Submission.objects.values_list("filename", flat=True)) == [DX]
    assert len([path for path in private_storage.rglob("*") if path.is_file()]) == 1


@override_settings(KERMA_MAX_UPLOAD_BYTES=9000)
def test_a_single_file_over_the_limit_is_refused_as_an_upload(site: Site) -> None:
    received = uploads_receive(site=site, uploads=[_file(CT)], channel=Channel.CLI, atomic=False)
    assert [(name, str(error)) for name, error in received.refused] == [
        (CT, "upload of 9990 bytes exceeds the limit of 9000 bytes")
    ]
    assert not Submission.objects.exists()


def test_members_sent_before_are_skipped_and_counted(site: Site) -> None:
    known = {hashlib.sha256(corpus_file(CT).read_bytes()).hexdigest()}
    received = uploads_receive(site=site, uploads=[_zip(CT, DX)], channel=Channel.CLI, skip_sha256=known)
    assert ([s.filename for s in received.submissions], received.skipped) == ([f"batch.zip/{DX}"], 1)


def test_atomic_receives_an_archive_all_or_none(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    _crash_on(DX, monkeypatch)
    with pytest.raises(RuntimeError, match="storage went away"):
        uploads_receive(site=site, uploads=[_zip(CT, DX)], channel=Channel.API)
    assert not Submission.objects.exists()


def test_without_atomic_a_failing_member_is_listed_and_the_others_go_on(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    _crash_on(CT, monkeypatch)
    received = uploads_receive(site=site, uploads=[_zip(CT, DX)], channel=Channel.CLI, atomic=False)
    assert [(name, str(error)) for name, error in received.failed] == [
        (f"batch.zip/{CT}", "storage went away")
    ]
    assert list(Submission.objects.values_list("filename", flat=True)) == [f"batch.zip/{DX}"]
