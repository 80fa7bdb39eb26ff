"""Answers for outages behind a door: the database or the storage is unavailable for a moment.

A sender must never see a 500 for a failure that is not its own: a 500 says "the registry is broken", and
many senders then drop the report or retry at once, in a loop. A database restarting or failing over, or
a storage that is full or not writable, is answered 503 (507 for a full storage) with Retry-After, so
DICOMweb clients, scripts and browsers know to try again later; nothing of the request was kept (its
transaction rolled back; its spooled file, if written, was removed by `ingest.services`).
The answer is built without the database (no session, no user, no template context processors).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from registry.storage import StorageUnavailableError

logger = logging.getLogger(__name__)

DATABASE_RETRY_AFTER_SECONDS = 30
STORAGE_RETRY_AFTER_SECONDS = 300
_MACHINE_PREFIXES = ("/api/", "/dicomweb/")


def outage_response(request: HttpRequest, exception: Exception) -> HttpResponse | None:
    """The 503/507 answer for an outage, or None when the exception is not one (it stays a 500)."""
    if isinstance(exception, (OperationalError, InterfaceError)):
        logger.error(
            "%s %s: database unavailable (%s)", request.method, request.path, type(exception).__name__
        )
        return _answer(
            request,
            503,
            "The registry's database is unavailable for a moment. Nothing was kept; send it again shortly.",
            DATABASE_RETRY_AFTER_SECONDS,
        )
    if isinstance(exception, StorageUnavailableError):
        logger.error("%s %s: %s", request.method, request.path, exception)
        status = 507 if exception.full else 503
        return _answer(
            request,
            status,
            f"{exception}. Nothing was kept; send it again later.",
            STORAGE_RETRY_AFTER_SECONDS,
        )
    return None


def _answer(request: HttpRequest, status: int, message: str, retry_after: int) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith(_MACHINE_PREFIXES) or "json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message, "retry_after_seconds": retry_after}, status=status)
    else:
        body = render_to_string(
            "outage.html", {"status": status, "message": message, "retry_after": retry_after}
        )
        response = HttpResponse(body, status=status)
    response["Retry-After"] = str(retry_after)
    return response


class OutageMiddleware:
    """Turns an outage raised by a view into its 503/507 answer (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return outage_response(request, exception)
