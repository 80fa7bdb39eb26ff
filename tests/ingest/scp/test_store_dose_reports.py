"""Dose SRs sent by C-STORE from a registered AE title become submissions of its site and are stored."""

from __future__ import annotations

import pytest
from pydicom import dcmread

from ingest.models import Channel, State, Submission
from ingest.scp import SUCCESS
from registry.models import AETitle, Site
from tests.conftest import corpus_file
from tests.ingest.scp.conftest import CALLING_AE, Associate

pytestmark = pytest.mark.django_db(transaction=True)


def send(associate: Associate, *names: str) -> list[int]:
    """C-STORE corpus files over one association; the status of each."""
    datasets = [dcmread(corpus_file(name)) for name in names]
    assoc = associate(sorted({ds.SOPClassUID for ds in datasets}))
    assert assoc.is_established
    return [assoc.send_c_store(ds).Status for ds in datasets]


def test_two_dose_reports_are_acknowledged_and_stored_for_the_site(
    site: Site, known_ae: AETitle, associate: Associate
) -> None:
    statuses = send(associate, "CT-RDSR-Siemens-Multi-1.dcm", "RF-RDSR-GE.dcm")
    assert statuses == [SUCCESS, SUCCESS]
    submissions = Submission.objects.order_by("received_at")
    assert [(s.site, s.channel, s.calling_ae_title, s.state) for s in submissions] == [
        (site, Channel.CSTORE, CALLING_AE, State.STORED),
        (site, Channel.CSTORE, CALLING_AE, State.STORED),
    ]


def test_the_submission_keeps_the_sop_instance_uid_as_filename(
    known_ae: AETitle, associate: Associate
) -> None:
    send(associate, "CT-RDSR-Siemens-Multi-1.dcm")
    uid = dcmread(corpus_file("CT-RDSR-Siemens-Multi-1.dcm")).SOPInstanceUID
    submission = Submission.objects.get()
    assert submission.filename == f"{uid}.dcm"
    assert submission.sop_instance_uid == uid


def test_a_radiopharmaceutical_dose_report_is_negotiated_and_received(
    known_ae: AETitle, associate: Associate
) -> None:
    assert send(associate, "NM-RRDSR-Siemens.dcm") == [SUCCESS]
    submission = Submission.objects.get()
    assert (submission.channel, submission.state) == (Channel.CSTORE, State.STORED)
