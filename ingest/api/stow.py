"""DICOMweb STOW-RS (PS3.18 §10.5): each part is received as a submission and answered at once.

"Accepted" means received and queued: the dose report is read later, as for every other channel, and its
outcome is the submission's state. Only what a quick header read can tell is failed at once:
- 0xC000 (cannot understand): not a DICOM Part 10 file, no SOP Instance UID, or a part that is not
  `application/dicom`;
- 0x0122 (SOP class not supported): not in `ACCEPTED_SOP_CLASSES` (the dose SR classes, the general SR
  classes that may carry a dose template: GE sends TID 10011 in an Enhanced SR, and the DX, CR, MG and
  tomosynthesis images whose header carries the dose), e.g. a CT image or a Basic Text SR; such parts are
  not recorded (C-STORE offers them no presentation context either);
- 0xA900 (data set does not match): its Study Instance UID differs from the one in the request URL;
- 0xA700 (out of resources): a part beyond KERMA_MAX_UPLOAD_BYTES.
(0008,1190) Retrieve URL is left out: Kerma offers no WADO-RS retrieve, and the standard has no slot for a
status URL; the sender follows a report by its SOP Instance UID in the portal or the REST API.
"""

from __future__ import annotations

import enum
import io
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import pydicom
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from pydicom.dataset import Dataset
from rest_framework.exceptions import NotAuthenticated, ParseError, UnsupportedMediaType
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from ingest.api.body import read_body
from ingest.api.multipart import MultipartError, Part, media_type, split_parts
from ingest.models import Channel, Submission
from ingest.rdsr.routing import ACCEPTED_SOP_CLASSES
from ingest.services import UploadTooLargeError, receiving_atomically, submission_receive
from registry.api.auth import IsSiteUploader, SiteTokenAuthentication, site_of
from registry.models import Site

logger = logging.getLogger(__name__)

DICOM = "application/dicom"
DICOM_JSON = "application/dicom+json"
_HEADER_TAGS = ["SOPClassUID", "SOPInstanceUID", "StudyInstanceUID"]


class FailureReason(enum.IntEnum):
    """Values of Failure Reason (0008,1197), from the C-STORE statuses of PS3.4 Annex B."""

    SOP_CLASS_NOT_SUPPORTED = 0x0122
    OUT_OF_RESOURCES = 0xA700
    DATA_SET_DOES_NOT_MATCH = 0xA900
    CANNOT_UNDERSTAND = 0xC000


@dataclass(frozen=True)
class Header:
    sop_class_uid: str
    sop_instance_uid: str
    study_instance_uid: str


@dataclass(frozen=True)
class PartResult:
    """What became of one part: a queued submission, or the failure reason sent back."""

    sop_class_uid: str = ""
    sop_instance_uid: str = ""
    failure: FailureReason | None = None
    submission: Submission | None = None


def quick_header(data: bytes) -> Header | None:
    """The identifying UIDs from a header-only read, or None when the bytes are not readable DICOM."""
    try:
        dataset = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True, specific_tags=_HEADER_TAGS)
        meta = dataset.file_meta
        sop_class = str(dataset.get("SOPClassUID") or meta.get("MediaStorageSOPClassUID") or "")
        sop_instance = str(dataset.get("SOPInstanceUID") or meta.get("MediaStorageSOPInstanceUID") or "")
        study = str(dataset.get("StudyInstanceUID") or "")
    except Exception:  # pydicom raises many kinds on garbage (InvalidDicomError, EOFError, struct.error)
        return None
    return Header(sop_class.strip(), sop_instance.strip(), study.strip()) if sop_instance.strip() else None


def _refusal(part: Part, header: Header | None, study_uid: str | None) -> FailureReason | None:
    if part.content_type and media_type(part.content_type).type != DICOM:
        return FailureReason.CANNOT_UNDERSTAND
    if header is None:
        return FailureReason.CANNOT_UNDERSTAND
    if header.sop_class_uid not in ACCEPTED_SOP_CLASSES:
        return FailureReason.SOP_CLASS_NOT_SUPPORTED
    if study_uid and header.study_instance_uid != study_uid:
        return FailureReason.DATA_SET_DOES_NOT_MATCH
    return None


def stow_part(*, site: Site, part: Part, study_uid: str | None) -> PartResult:
    """Receive one part as a STOW submission unless its header already tells it cannot be a dose report."""
    header = quick_header(part.data)
    failure = _refusal(part, header, study_uid)
    if header is None or failure is not None:
        logger.info("STOW-RS part refused for site %s: %r %s", site.code, failure, header)
        return PartResult(*_uids(header), failure=failure)
    try:
        submission = submission_receive(
            site=site, data=part.data, channel=Channel.STOW, filename=f"{header.sop_instance_uid}.dcm"
        )
    except UploadTooLargeError:
        return PartResult(*_uids(header), failure=FailureReason.OUT_OF_RESOURCES)
    return PartResult(*_uids(header), submission=submission)


def _uids(header: Header | None) -> tuple[str, str]:
    return (header.sop_class_uid, header.sop_instance_uid) if header else ("", "")


def stow_store(*, site: Site, parts: Iterable[Part], study_uid: str | None) -> list[PartResult]:
    """All parts of one request in one transaction, so their tasks are queued together on commit."""
    with receiving_atomically():
        return [stow_part(site=site, part=part, study_uid=study_uid) for part in parts]


def _reference(result: PartResult) -> Dataset:
    item = Dataset()
    item.ReferencedSOPClassUID = result.sop_class_uid
    item.ReferencedSOPInstanceUID = result.sop_instance_uid
    if result.failure is not None:
        item.FailureReason = int(result.failure)
    return item


def stow_response(results: list[PartResult]) -> Dataset:
    """The Store Instances response module: accepted parts referenced, failed ones with their reason."""
    response = Dataset()
    failed = [_reference(result) for result in results if result.failure is not None]
    accepted = [_reference(result) for result in results if result.failure is None]
    if failed:
        response.FailedSOPSequence = failed
    if accepted:
        response.ReferencedSOPSequence = accepted
    return response


def stow_status(results: list[PartResult]) -> int:
    """200 when every part was accepted, 409 when none was, 202 in between (PS3.18 §10.5.3)."""
    failures = sum(result.failure is not None for result in results)
    return 200 if failures == 0 else 409 if failures == len(results) else 202


class DicomJSONRenderer(JSONRenderer):
    """Lets content negotiation accept `Accept: application/dicom+json`, as DICOMweb clients send."""

    media_type = DICOM_JSON


def _dicom_parts(request: Request) -> list[Part]:
    content = media_type(request.META.get("CONTENT_TYPE", ""))
    # PS3.18 requires the type parameter; a sender that omits it is read as sending application/dicom.
    if content.type != "multipart/related" or content.params.get("type", DICOM).lower() != DICOM:
        raise UnsupportedMediaType(
            content.type, detail=f'send multipart/related; type="{DICOM}", not {content.type or "nothing"}'
        )
    body = read_body(request)
    try:
        parts = split_parts(body, content.params.get("boundary", ""))
    except MultipartError as error:
        raise ParseError(str(error)) from error
    if not parts:
        raise ParseError("the multipart body holds no parts")
    return parts


_STOW_RESPONSES = {
    (200, DICOM_JSON): OpenApiResponse(OpenApiTypes.OBJECT, description="Every instance accepted."),
    (202, DICOM_JSON): OpenApiResponse(OpenApiTypes.OBJECT, description="Some instances failed."),
    (409, DICOM_JSON): OpenApiResponse(OpenApiTypes.OBJECT, description="Every instance failed."),
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="The multipart body cannot be parsed."),
    401: OpenApiResponse(OpenApiTypes.OBJECT, description="Missing, invalid or revoked token."),
    411: OpenApiResponse(OpenApiTypes.OBJECT, description="No Content-Length."),
    413: OpenApiResponse(OpenApiTypes.OBJECT, description="Beyond KERMA_MAX_UPLOAD_BYTES."),
    415: OpenApiResponse(OpenApiTypes.OBJECT, description='Not multipart/related; type="application/dicom".'),
    503: OpenApiResponse(OpenApiTypes.OBJECT, description="Database unavailable or storage not writable."),
    507: OpenApiResponse(OpenApiTypes.OBJECT, description="Storage full; Retry-After."),
}


class StowView(APIView):
    """POST /dicomweb/studies: store instances of any study."""

    authentication_classes = [SiteTokenAuthentication]
    permission_classes = [IsSiteUploader]
    renderer_classes = [DicomJSONRenderer, JSONRenderer]

    @extend_schema(
        operation_id="dicomweb_store_instances",
        summary="DICOMweb STOW-RS: store dose reports",
        request={f'multipart/related; type="{DICOM}"': OpenApiTypes.BINARY},
        responses=_STOW_RESPONSES,
    )
    def post(self, request: Request, study_uid: str | None = None) -> HttpResponse:
        site = site_of(request)
        if site is None:  # IsSiteUploader lets only token requests in
            raise NotAuthenticated()
        results = stow_store(site=site, parts=_dicom_parts(request), study_uid=study_uid)
        body = json.dumps(stow_response(results).to_json_dict())
        return HttpResponse(body, status=stow_status(results), content_type=DICOM_JSON)


class StowStudyView(StowView):
    """POST /dicomweb/studies/{StudyInstanceUID}: every instance must belong to that study."""

    @extend_schema(
        operation_id="dicomweb_store_study_instances",
        summary="DICOMweb STOW-RS: store dose reports of one study",
        request={f'multipart/related; type="{DICOM}"': OpenApiTypes.BINARY},
        responses=_STOW_RESPONSES,
    )
    def post(self, request: Request, study_uid: str | None = None) -> HttpResponse:
        return super().post(request, study_uid)
