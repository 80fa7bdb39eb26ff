"""One association with a PACS for a whole run: query and retrieve on it, and say plainly why it failed.

Reusing one association keeps a C-FIND at about 100 ms where a new association per request doubles that
(pacs-notes, pitfall 11). C-GET needs the storage classes proposed with the SCP role on the same
association, so the PACS can send the objects back over it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pydicom.uid import UID
from pynetdicom import AE, _config, build_role, evt
from pynetdicom.association import Association
from pynetdicom.events import Event, EventHandlerType
from pynetdicom.pdu_primitives import _UI  # the item type `associate(ext_neg=...)` takes

from ingest.rdsr.routing import ACCEPTED_SOP_CLASSES
from ingest.scp import TRANSFER_SYNTAXES

# pynetdicom logs every C-FIND, C-GET and C-MOVE answer's identifier at INFO, and a PACS may answer with
# patient names, IDs and accession numbers nobody asked for: they must never reach Kerma's log.
_config.LOG_RESPONSE_IDENTIFIERS = False

# The Study Root information models (PS3.4 C.6.2); pynetdicom names them dynamically, out of mypy's sight.
FIND_MODEL = UID("1.2.840.10008.5.1.4.1.2.2.1")
MOVE_MODEL = UID("1.2.840.10008.5.1.4.1.2.2.2")
GET_MODEL = UID("1.2.840.10008.5.1.4.1.2.2.3")

# What a PACS does when it accepts the association but not our AE title: Orthanc aborts it at the first
# C-FIND or C-MOVE, and pynetdicom then yields a status without a Status element (pitfall 2).
ABORTED = (
    "the PACS aborted the association: is Kerma's AE title ({ae}) declared on the PACS, "
    "with query and retrieve allowed?"
)


class PacsRefusedError(Exception):
    """The PACS could not be reached, refused the association, or dropped it: the node is backed off."""


class PacsQueryError(Exception):
    """The PACS answered a request with a failure status: the run fails and its window is asked again."""


@dataclass(frozen=True)
class Peer:
    """Where the PACS is and who we are to it."""

    host: str
    port: int
    called_ae: str
    calling_ae: str
    timeout_seconds: float = 30.0
    # C-GET: the handler that receives each object the PACS sends back over the association.
    on_store: Callable[[Event], int] | None = field(default=None, compare=False)


def _application_entity(peer: Peer) -> tuple[AE, list[_UI]]:
    """Our AE with the find model and the move model, or the get model and every class Kerma accepts.

    pynetdicom's StoragePresentationContexts lacks .88.68, .88.73 and .88.76, so the reader's own list is
    proposed: 15 classes, well under the 128 contexts an association may hold.
    """
    ae = AE(ae_title=peer.calling_ae)
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = peer.timeout_seconds
    ae.connection_timeout = peer.timeout_seconds  # a firewall that drops packets: not the OS's minutes
    ae.add_requested_context(FIND_MODEL)
    if peer.on_store is None:
        ae.add_requested_context(MOVE_MODEL)
        return ae, []
    ae.add_requested_context(GET_MODEL)
    classes = sorted(ACCEPTED_SOP_CLASSES)
    for sop_class in classes:
        ae.add_requested_context(sop_class, TRANSFER_SYNTAXES)
    return ae, [build_role(sop_class, scp_role=True) for sop_class in classes]


def describe_failure(assoc: Association, peer: Peer, *, connected: bool) -> str:
    """Why an association did not come up, in words an administrator can act on."""
    where = f"{peer.called_ae} at {peer.host}:{peer.port}"
    if not connected:
        return f"could not connect to {where}: nothing listens there (host, port, firewall?)"
    if assoc.is_rejected:
        reply = assoc.acceptor.primitive
        reason = (
            f" (result {reply.result}, source {reply.result_source}, reason {reply.diagnostic})"
            if reply
            else ""
        )
        return f"{where} rejected the association{reason}: check both AE titles"
    if assoc.is_aborted:
        return f"{where} aborted the association request: is it a DICOM service?"
    return f"{where} did not answer the association request within {peer.timeout_seconds:.0f} s"


@contextmanager
def opened(peer: Peer) -> Iterator[Association]:
    """An established association, released afterwards unless the PACS has dropped it already."""
    ae, roles = _application_entity(peer)
    connections: list[Event] = []  # a refused TCP connection and an A-ABORT both end up `is_aborted`
    handlers: list[EventHandlerType] = [(evt.EVT_CONN_OPEN, connections.append)]
    if peer.on_store is not None:
        handlers.append((evt.EVT_C_STORE, peer.on_store))
    assoc = ae.associate(
        peer.host, peer.port, ae_title=peer.called_ae, ext_neg=roles or None, evt_handlers=handlers
    )
    if not assoc.is_established:
        raise PacsRefusedError(describe_failure(assoc, peer, connected=bool(connections)))
    try:
        yield assoc
    finally:
        if assoc.is_established:
            assoc.release()
        ae.shutdown()


def check_established(assoc: Association) -> None:
    """Before each request: a PACS that dropped the association mid-run is a refusal, not a crash."""
    if not assoc.is_established:
        raise PacsRefusedError("the PACS closed the association during the run")
