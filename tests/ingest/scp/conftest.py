"""Fixtures for the DICOM listener: a live listener on loopback, a registered AE title and an SCU.

The listener answers in its own threads with its own database connections, so these tests commit for real
(`transaction=True`): on SQLite the test database is a shared-cache in-memory database that every thread
of the process opens, on PostgreSQL a real database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import pytest
from pydicom.uid import UID
from pynetdicom import AE, DEFAULT_TRANSFER_SYNTAXES
from pynetdicom.association import Association

from ingest import scp
from registry.models import AETitle, Site

CALLING_AE = "NORTH01"
TIMEOUT_SECONDS = 10

Associate = Callable[..., Association]


@pytest.fixture
def known_ae(site: Site) -> AETitle:
    return AETitle.objects.create(site=site, ae_title=CALLING_AE)


@pytest.fixture
def listener_port(transactional_db: None) -> Iterator[int]:
    """A listener on a free loopback port (port 0), shut down even when the test fails."""
    server = scp.start("127.0.0.1", 0)
    try:
        yield server.server_address[1]
    finally:
        scp.shutdown(server, grace=TIMEOUT_SECONDS)


@pytest.fixture
def associate(listener_port: int) -> Iterator[Associate]:
    """Open associations to the listener as an SCU; every one is released or aborted after the test."""
    opened: list[Association] = []

    def _associate(contexts: Sequence[str], *, ae_title: str = CALLING_AE) -> Association:
        ae = AE(ae_title=ae_title)
        ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = TIMEOUT_SECONDS
        for sop_class in contexts:
            ae.add_requested_context(UID(sop_class), DEFAULT_TRANSFER_SYNTAXES)
        assoc = ae.associate("127.0.0.1", listener_port, ae_title="KERMA")
        opened.append(assoc)
        return assoc

    yield _associate
    for assoc in opened:
        if assoc.is_established:
            assoc.release()
