"""The DICOM C-STORE listener: dose SRs from known AE titles are spooled as submissions at once.

Each association runs in its own pynetdicom thread. The C-STORE handler only spools the bytes the sender
sent (`submission_receive`) and answers; reading happens later in a Celery worker (STYLE.md, pynetdicom's
`storescp`).
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from pydicom.uid import (
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)
from pynetdicom import AE, evt
from pynetdicom.dimse_primitives import C_STORE
from pynetdicom.events import Event, EventHandlerType
from pynetdicom.transport import ThreadedAssociationServer

from ingest.models import Channel
from ingest.rdsr.routing import ACCEPTED_SOP_CLASSES
from ingest.services import UploadTooLargeError, receiving_atomically, submission_receive
from registry.models import AETitle, Site
from registry.storage import StorageUnavailableError

logger = logging.getLogger(__name__)

VERIFICATION_SOP_CLASS = UID("1.2.840.10008.1.1")  # C-ECHO (PS3.4 Annex A); pynetdicom names it dynamically
TRANSFER_SYNTAXES: list[str] = [
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
]

# C-STORE statuses (PS3.4 B.2.3).
SUCCESS = 0x0000
OUT_OF_RESOURCES = 0xA700
CANNOT_UNDERSTAND = 0xC000

# A-ASSOCIATE-RJ: rejected-permanent, by the service user, "calling AE title not recognised" (PS3.8 9.3.4).
REJECT_UNKNOWN_CALLING_AE = (0x01, 0x01, 0x03)
# Rejected-transient, by the service user, no reason given: the database is unreachable, try again later.
REJECT_TRANSIENT = (0x02, 0x01, 0x01)

SHUTDOWN_GRACE_SECONDS = 10.0


def build_ae(ae_title: str | None = None) -> AE:
    """Our application entity: the accepted classes (dose and general SRs, DX/CR/MG/DBT images) and
    Verification, in the usual transfer syntaxes.

    The storage classes are the reader's own `ACCEPTED_SOP_CLASSES`, so C-STORE, STOW-RS and the reader
    accept the same objects. pynetdicom's `StoragePresentationContexts` lacks .88.68, .88.73 and .88.76 and
    offers hundreds of image classes we would only have to refuse later, so it is not used.
    """
    ae = AE(ae_title=ae_title or settings.KERMA_DICOM_AE_TITLE)
    for sop_class in (*sorted(ACCEPTED_SOP_CLASSES), VERIFICATION_SOP_CLASS):
        ae.add_supported_context(sop_class, TRANSFER_SYNTAXES)
    return ae


def make_handlers() -> list[EventHandlerType]:
    """The event handlers to pass to `start_server`; C-ECHO needs none (pynetdicom answers success)."""
    return [(evt.EVT_REQUESTED, handle_association_request), (evt.EVT_C_STORE, handle_store)]


def start(host: str, port: int, ae_title: str | None = None) -> ThreadedAssociationServer:
    """Listen in background threads and return the server (`server.server_address` holds the real port)."""
    server = build_ae(ae_title).start_server((host, port), block=False, evt_handlers=make_handlers())
    return cast(ThreadedAssociationServer, server)  # None only for a blocking server


def serve(port: int, *, host: str = "0.0.0.0", ae_title: str | None = None, stop: threading.Event) -> None:  # noqa: S104
    """Listen until `stop` is set, then let running associations finish for a moment and close."""
    server = start(host, port, ae_title)
    bound_host, bound_port = server.server_address[:2]
    logger.info("DICOM listener %s listening on %s:%s", server.ae.ae_title, bound_host, bound_port)
    try:
        stop.wait()
    finally:
        shutdown(server)
        logger.info("DICOM listener %s stopped", server.ae.ae_title)


def shutdown(server: ThreadedAssociationServer, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
    """Stop accepting, give running associations `grace` seconds, then abort what is left.

    An aborted C-STORE was never acknowledged, so the sender keeps the report and sends it again.
    """
    server.shutdown()
    deadline = time.monotonic() + grace
    while server.active_associations and time.monotonic() < deadline:
        time.sleep(0.05)
    server.ae.shutdown()


@contextmanager
def _thread_db_connection() -> Iterator[None]:
    """Django keeps one connection per thread and pynetdicom starts a thread per association: close it
    when the handler is done, or every association leaves an open database connection behind."""
    close_old_connections()
    try:
        yield
    finally:
        connections.close_all()


def _site_for(ae_title: str) -> Site | None:
    mapping = AETitle.objects.select_related("site").filter(ae_title=ae_title.strip()).first()
    return mapping.site if mapping else None


def handle_association_request(event: Event) -> None:
    """Refuse an association from an unknown calling AE title before any negotiation.

    pynetdicom's `require_calling_aet` is a list fixed at start, while the AETitle table changes as sites
    are added; an A-ASSOCIATE-RJ sent from EVT_REQUESTED is the dynamic equivalent pynetdicom supports (the
    acceptor skips negotiation once `is_rejected` is set).
    """
    assoc = event.assoc
    primitive = assoc.requestor.primitive
    calling_ae_title = primitive.calling_ae_title.strip() if primitive else ""
    peer = assoc.requestor.info.get("address")
    try:
        with _thread_db_connection():
            known = _site_for(calling_ae_title) is not None
    except Exception as error:
        # pynetdicom logs and ignores errors in this handler and would then accept: fail closed instead.
        logger.error(
            "association from %s at %s refused: AE title lookup failed (%s)", calling_ae_title, peer, error
        )
        _reject(event, REJECT_TRANSIENT)
        return
    if not known:
        logger.warning(
            "association from %s refused: calling AE title %r not recognised", peer, calling_ae_title
        )
        _reject(event, REJECT_UNKNOWN_CALLING_AE)


def _reject(event: Event, reason: tuple[int, int, int]) -> None:
    """Send A-ASSOCIATE-RJ, then wait (as pynetdicom's own rejections do) until the peer has closed."""
    event.assoc.acse.send_reject(*reason)
    event.assoc.kill()


def handle_store(event: Event) -> int:
    """Spool one dataset as a submission and answer at once; failures are logged without patient data."""
    calling_ae_title = event.assoc.requestor.ae_title.strip()
    sop_instance_uid = str(cast(C_STORE, event.request).AffectedSOPInstanceUID or "")
    try:
        with _thread_db_connection():
            _receive(event, calling_ae_title, sop_instance_uid)
    except UploadTooLargeError as error:
        logger.warning("C-STORE %s from %s refused: %s", sop_instance_uid, calling_ae_title, error)
        return OUT_OF_RESOURCES
    except (OperationalError, InterfaceError, StorageUnavailableError) as error:
        # Nothing was kept, and the fault is ours and passing: "out of resources" makes the sender keep the
        # report and send it again later, where "cannot understand" would tell it the report is bad.
        logger.error("C-STORE %s from %s refused for now: %s", sop_instance_uid, calling_ae_title, error)
        return OUT_OF_RESOURCES
    except Exception as error:
        # The message may quote dataset values, so only the error type and where it was raised are logged.
        frame = traceback.extract_tb(error.__traceback__)[-1]
        logger.error(
            "C-STORE %s from %s failed: %s at %s:%s",
            sop_instance_uid,
            calling_ae_title,
            type(error).__name__,
            frame.filename,
            frame.lineno,
        )
        return CANNOT_UNDERSTAND
    return SUCCESS


def _receive(event: Event, calling_ae_title: str, sop_instance_uid: str) -> None:
    site = _site_for(calling_ae_title)
    if site is None:  # the AE title was removed while the association was open
        raise LookupError("calling AE title no longer mapped to a site")
    # The submission commits before the reply, and its task is queued only once it has committed.
    with receiving_atomically():
        submission_receive(
            site=site,
            data=event.encoded_dataset(),
            channel=Channel.CSTORE,
            filename=f"{sop_instance_uid}.dcm" if sop_instance_uid else "",
            calling_ae_title=calling_ae_title,
        )
