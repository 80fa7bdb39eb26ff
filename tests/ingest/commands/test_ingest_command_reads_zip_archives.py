"""`ingest` unpacks ZIP archives, and with --new-only skips what the site sent before."""

from __future__ import annotations

import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from ingest.models import State, Submission
from registry.models import Site
from tests.conftest import corpus_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    path = tmp_path / "reports.zip"
    with zipfile.ZipFile(path, "w") as zipped:
        for name in ("CT-RDSR-Siemens-Multi-3.dcm", "RF-RDSR-Siemens-Zee.dcm"):
            zipped.write(corpus_file(name), name)
    return path


def test_each_member_of_an_archive_is_one_submission(archive: Path, site: Site) -> None:
    call_command("ingest", str(archive), "--site", site.code, stdout=StringIO())
    assert sorted(Submission.objects.values_list("filename", "state")) == [
        (f"{archive}/CT-RDSR-Siemens-Multi-3.dcm", State.STORED),
        (f"{archive}/RF-RDSR-Siemens-Zee.dcm", State.STORED),
    ]


def test_a_second_run_with_new_only_sends_nothing_again(archive: Path, site: Site) -> None:
    call_command("ingest", str(archive), "--site", site.code, stdout=StringIO())
    out = StringIO()
    call_command("ingest", str(archive), "--site", site.code, "--new-only", stdout=out)
    assert "Received 0 file(s) for site NORTH-01 (2 skipped: sent before)." in out.getvalue()
    assert Submission.objects.count() == 2
