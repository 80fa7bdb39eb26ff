"""Request size limits enforced before a body is read: 413 naming the limit, 411 when it cannot be known."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from ingest.services import UploadTooLargeError

# Room for multipart boundaries and part headers around a file that is itself within the limit.
ENVELOPE_BYTES = 64 * 1024


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    @classmethod
    def of(cls, error: UploadTooLargeError) -> PayloadTooLarge:
        return cls(str(error))


class LengthRequired(APIException):
    status_code = status.HTTP_411_LENGTH_REQUIRED
    default_detail = "Send a Content-Length header: this server cannot read a chunked request body."
    default_code = "length_required"


def body_limit() -> int:
    """The largest request body accepted: one upload at the configured limit plus its envelope."""
    return int(settings.KERMA_MAX_UPLOAD_BYTES) + ENVELOPE_BYTES


def declared_length(meta: dict[str, Any]) -> int | None:
    try:
        return int(meta["CONTENT_LENGTH"])
    except (KeyError, TypeError, ValueError):
        return None


def refuse_declared_oversize(request: Request) -> None:
    """Refuse from the Content-Length header alone, before Django or DRF reads any of the body."""
    declared = declared_length(request.META)
    if declared is not None and declared > body_limit():
        raise PayloadTooLarge(
            f"request body of {declared} bytes exceeds the limit of {body_limit()} bytes "
            f"(KERMA_MAX_UPLOAD_BYTES {settings.KERMA_MAX_UPLOAD_BYTES} plus {ENVELOPE_BYTES} of envelope)"
        )


def read_body(request: Request) -> bytes:
    """The raw body, read at most to the limit.

    Read from the stream rather than `request.body`, which would apply DATA_UPLOAD_MAX_MEMORY_SIZE (meant
    for form fields) to dose reports. Without Content-Length (chunked transfer) Django's request stream is
    empty, so the WSGI input is read directly only when the server says it ends (`wsgi.input_terminated`,
    as gunicorn sets); otherwise the sender is asked for a length (411).
    """
    refuse_declared_oversize(request)
    limit = body_limit()
    if declared_length(request.META) is None:
        if not request.META.get("wsgi.input_terminated"):
            raise LengthRequired()
        data: bytes = request.META["wsgi.input"].read(limit + 1)
    else:
        data = request._request.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"request body exceeds the limit of {limit} bytes")
    return data
