"""`manage.py ingest FOLDER --site CODE` sends every file under the folder and sums up what became of each."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from ingest.models import Channel, State, Submission
from registry.models import Site

pytestmark = pytest.mark.django_db(transaction=True)  # the inline task runs at commit, before the summary


def test_a_folder_of_reports_and_a_text_file_gives_counts_and_the_reason(
    report_folder: Path, site: Site
) -> None:
    out = StringIO()
    call_command("ingest", str(report_folder), "--site", site.code, stdout=out)
    summary = out.getvalue()
    assert "Received 3 file(s) for site NORTH-01." in summary
    assert "stored     2" in summary
    assert "rejected   1" in summary
    assert f"{report_folder / 'notes.txt'}: not_dicom: " in summary
    assert sorted(Submission.objects.values_list("state", "channel")) == [
        (State.REJECTED, Channel.CLI),
        (State.STORED, Channel.CLI),
        (State.STORED, Channel.CLI),
    ]
