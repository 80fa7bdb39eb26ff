"""C-MOVE or C-GET of one instance at a time, and the C-STORE handler that receives what a C-GET sends back.

Instances are retrieved at IMAGE level, one request each: a retrieve stops at its first failed
sub-operation, and Orthanc's final counters say 0 even when some arrived (pacs-notes, pitfall 4), so a
whole-study retrieve can lose objects silently. Whether an object arrived is counted by the caller from
Kerma's own submissions, never from the PACS's counters.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import cast

from django.db import InterfaceError, OperationalError
from pydicom.dataset import Dataset
from pynetdicom.association import Association
from pynetdicom.dimse_primitives import C_STORE
from pynetdicom.events import Event

from ingest.models import Channel
from ingest.pacs.association import ABORTED, GET_MODEL, MOVE_MODEL, PacsRefusedError, check_established
from ingest.pacs.query import FoundInstance
from ingest.scp import CANNOT_UNDERSTAND, OUT_OF_RESOURCES, SUCCESS
from ingest.services import UploadTooLargeError, receiving_atomically, submission_receive
from registry.models import Site
from registry.storage import StorageUnavailableError

logger = logging.getLogger(__name__)

# C-MOVE / C-GET statuses (PS3.4 C.4.2.1.5, C.4.3.1.4).
MOVE_DESTINATION_UNKNOWN = 0xA801
SUB_OPERATIONS_FAILED = 0xB000


@dataclass(frozen=True)
class Retrieval:
    """The PACS's final answer to one retrieve (its counters are reported, never trusted)."""

    status: int
    completed: int
    failed: int


def _identifier(instance: FoundInstance) -> Dataset:
    identifier = Dataset()
    identifier.QueryRetrieveLevel = "IMAGE"
    identifier.StudyInstanceUID = instance.study.study_instance_uid
    identifier.SeriesInstanceUID = instance.series_instance_uid
    identifier.SOPInstanceUID = instance.sop_instance_uid
    return identifier


def _final(assoc: Association, responses: Iterator[tuple[Dataset, Dataset | None]]) -> Retrieval:
    """The last response's status and counters; a status without Status is an abort (pitfall 2)."""
    last: Dataset | None = None
    for status, _ in responses:
        if "Status" not in status:
            raise PacsRefusedError(ABORTED.format(ae=assoc.requestor.ae_title))
        last = status
    if last is None:
        raise PacsRefusedError("the PACS sent no answer to the retrieve")
    return Retrieval(
        status=int(last.Status),
        completed=int(last.get("NumberOfCompletedSuboperations") or 0),
        failed=int(last.get("NumberOfFailedSuboperations") or 0),
    )


def move(assoc: Association, instance: FoundInstance, destination: str) -> Retrieval:
    """Ask the PACS to send one instance to Kerma's listener (`destination`, its AE title)."""
    check_established(assoc)
    return _final(assoc, assoc.send_c_move(_identifier(instance), destination, MOVE_MODEL))


def get(assoc: Association, instance: FoundInstance) -> Retrieval:
    """Ask the PACS to send one instance back over this association (to the association's store handler)."""
    check_established(assoc)
    return _final(assoc, assoc.send_c_get(_identifier(instance), GET_MODEL))


def why_missing(retrieval: Retrieval, *, destination: str | None) -> str:
    """Why an instance did not arrive, naming every cause the status allows (Orthanc's 0xC000 has four)."""
    code = f"0x{retrieval.status:04X}"
    if destination is None:
        return f"the PACS did not send it by C-GET (status {code}): a storage class it would not offer?"
    if retrieval.status == MOVE_DESTINATION_UNKNOWN:
        return f"the PACS does not know the move destination {destination} (status {code}): declare it there"
    if retrieval.status in (SUCCESS, SUB_OPERATIONS_FAILED):
        return f"the PACS answered {code} but nothing arrived at Kerma's listener"
    return (
        f"the PACS could not deliver it (status {code}): it may not know {destination} as a destination, "
        "may not reach Kerma's listener at the declared host and port, the listener may refuse the PACS's "
        "AE title (register it for the site), or may not take the object's SOP class"
    )


def store_handler(*, site: Site, ae_title: str) -> Callable[[Event], int]:
    """The C-STORE handler of a C-GET association: each object becomes a submission of the node's site.

    pynetdicom calls it in the thread that sent the C-GET, so it shares that thread's database
    connection. Failures are answered as the listener answers them (`ingest.scp.handle_store`).
    """

    def handle(event: Event) -> int:
        uid = str(cast(C_STORE, event.request).AffectedSOPInstanceUID or "")
        try:
            with receiving_atomically():
                submission_receive(
                    site=site,
                    data=event.encoded_dataset(),
                    channel=Channel.CSTORE,
                    filename=f"{uid}.dcm" if uid else "",
                    calling_ae_title=ae_title,
                )
        except (UploadTooLargeError, OperationalError, InterfaceError, StorageUnavailableError) as error:
            logger.error("C-GET of %s from %s refused for now: %s", uid, ae_title, error)
            return OUT_OF_RESOURCES
        except Exception as error:
            # The message may quote dataset values, so only the error type and where it was raised are logged.
            frame = traceback.extract_tb(error.__traceback__)[-1]
            logger.error(
                "C-GET of %s from %s failed: %s at %s:%s",
                uid,
                ae_title,
                type(error).__name__,
                frame.filename,
                frame.lineno,
            )
            return CANNOT_UNDERSTAND
        return SUCCESS

    return handle
