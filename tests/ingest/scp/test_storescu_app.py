"""pynetdicom's own command-line sender (`python -m pynetdicom storescu`) delivers to the listener."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ingest.models import Channel, State, Submission
from registry.models import AETitle
from tests.conftest import corpus_file
from tests.ingest.scp.conftest import CALLING_AE, TIMEOUT_SECONDS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("CT-RDSR-Siemens-Multi-1.dcm", []),
        # .88.68 is not among storescu's default contexts: --required-contexts proposes the file's own class.
        ("NM-RRDSR-Siemens.dcm", ["--required-contexts"]),
    ],
)
def test_storescu_sends_a_dose_report_that_is_stored(
    known_ae: AETitle, listener_port: int, name: str, options: list[str]
) -> None:
    path = corpus_file(name)
    command = [sys.executable, "-m", "pynetdicom", "storescu", "127.0.0.1", str(listener_port), str(path)]
    command += ["-aet", CALLING_AE, "-aec", "KERMA", *options]
    result = subprocess.run(command, capture_output=True, text=True, timeout=6 * TIMEOUT_SECONDS, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr
    submission = Submission.objects.get()
    assert (submission.channel, submission.calling_ae_title) == (Channel.CSTORE, CALLING_AE)
    assert submission.state == State.STORED
