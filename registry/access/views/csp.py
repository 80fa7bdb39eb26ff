"""The Content-Security-Policy report endpoint: browsers post what the policy blocked; we log it."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("kerma.csp")

MAX_REPORT_BYTES = 16 * 1024
# What tells us which rule blocked what; never "script-sample" or "original-policy", and URLs lose their
# query string, since a page's query can carry names or IDs someone searched for.
LOGGED_FIELDS = ("effective-directive", "violated-directive", "disposition", "line-number", "column-number")
URL_FIELDS = ("document-uri", "blocked-uri", "source-file")


def _without_query(value: Any) -> str:
    """A URL without query and fragment, a data: or blob: URL as its scheme; 'inline' and 'eval' unchanged."""
    parts = urlsplit(str(value))
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}{parts.path}"
    return parts.scheme or str(value)[:40]


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    summary = {field: report[field] for field in LOGGED_FIELDS if field in report}
    summary |= {field: _without_query(report[field]) for field in URL_FIELDS if field in report}
    return summary


@csrf_exempt  # browsers post reports without a CSRF token, and a report changes nothing
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log one violation (`report-uri` format) and answer 204, whatever was sent: browsers do not retry."""
    if len(request.body) > MAX_REPORT_BYTES:
        return HttpResponse(status=413)
    try:
        report = json.loads(request.body).get("csp-report")
    except (ValueError, AttributeError):
        report = None
    if isinstance(report, dict):
        logger.warning("CSP violation %s", json.dumps(_summary(report), sort_keys=True))
    return HttpResponse(status=204)
