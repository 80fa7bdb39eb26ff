"""Only AE titles registered for a site may associate; the listener refuses the rest before anything else."""

from __future__ import annotations

import logging

import pytest

from ingest.models import Submission
from ingest.scp import REJECT_TRANSIENT, VERIFICATION_SOP_CLASS
from registry.models import AETitle, Site
from tests.ingest.scp.conftest import Associate

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_unknown_calling_ae_title_is_rejected_as_not_recognised(
    known_ae: AETitle, associate: Associate, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="ingest.scp"):
        assoc = associate([VERIFICATION_SOP_CLASS], ae_title="STRANGER")
    assert assoc.is_rejected and not assoc.is_established
    reply = assoc.acceptor.primitive
    assert reply is not None
    # rejected-permanent, DICOM UL service-user, calling AE title not recognised (PS3.8 9.3.4)
    assert (reply.result, reply.result_source, reply.diagnostic) == (0x01, 0x01, 0x03)
    assert not Submission.objects.exists()
    [logged] = [r.getMessage() for r in caplog.records if r.name == "ingest.scp"]
    assert "'STRANGER' not recognised" in logged and "127.0.0.1" in logged


def test_an_ae_title_registered_while_the_listener_runs_is_accepted(site: Site, associate: Associate) -> None:
    assert associate([VERIFICATION_SOP_CLASS]).is_rejected
    AETitle.objects.create(site=site, ae_title="NORTH01")
    assert associate([VERIFICATION_SOP_CLASS]).is_established


def test_a_failing_lookup_rejects_transiently_rather_than_letting_anyone_in(
    known_ae: AETitle, associate: Associate, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(ae_title: str) -> None:
        raise RuntimeError("database unreachable")

    monkeypatch.setattr("ingest.scp._site_for", broken)
    assoc = associate([VERIFICATION_SOP_CLASS])
    assert assoc.is_rejected and assoc.acceptor.primitive is not None
    primitive = assoc.acceptor.primitive
    # rejected-transient, by the service user, no reason given: the sender may try again later
    assert (primitive.result, primitive.result_source, primitive.diagnostic) == REJECT_TRANSIENT == (2, 1, 1)
