"""The audit-log page: sign-ins, exports, mapping, reference-level and token changes, for auditors.

Auditors and administrators see the rows of their sites (`visible_sites(user, roles=AUDIT_ROLES)`), and
rows without a site (sign-ins, exports across several sites) of people who are members of those sites;
superusers see everything.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from registry.access.audit_words import ACTION_TYPES, action_label, detail_text
from registry.models import AuditEvent, Site, audit_record, visible_sites
from registry.models.access import AUDIT_ROLES
from registry.report_rows import parse_date

PAGE_SIZE = 50
CSV_COLUMNS = ["when (UTC)", "who", "action", "action code", "site", "object", "detail"]


def audit_events(user: Any, sites: QuerySet[Site]) -> QuerySet[AuditEvent]:
    """The audit rows `user` may read: their sites' rows, and site-less rows of those sites' members."""
    rows = AuditEvent.objects.select_related("site")
    if user.is_superuser:
        return rows
    members = get_user_model().objects.filter(memberships__site__in=sites)
    # A failed sign-in has no user, only the name typed: it is shown if a member has that name.
    names = members.values(get_user_model().USERNAME_FIELD)
    unsited = Q(actor__in=members) | Q(actor__isnull=True, actor_label__in=names)
    return rows.filter(Q(site__in=sites) | (Q(site__isnull=True) & unsited))


def filtered(rows: QuerySet[AuditEvent], params: Any) -> QuerySet[AuditEvent]:
    """Narrow by action type (a prefix of ACTION_TYPES), site code and dates; unknown values are ignored."""
    action = params.get("action", "")
    if action in ACTION_TYPES:
        rows = rows.filter(action__startswith=action)
    if params.get("site"):
        rows = rows.filter(site__code=params["site"])
    if date_from := parse_date(params.get("date_from")):
        rows = rows.filter(at__date__gte=date_from)
    if date_to := parse_date(params.get("date_to")):
        rows = rows.filter(at__date__lte=date_to)
    return rows


def _audit_sites(request: HttpRequest) -> QuerySet[Site]:
    sites = visible_sites(request.user, roles=AUDIT_ROLES)
    if not request.user.is_superuser and not sites.exists():
        raise PermissionDenied("The audit log is for auditors and administrators.")
    return sites


def _row(event: AuditEvent) -> dict[str, Any]:
    """One event as the page and the CSV show it: in words, the codes kept for whoever needs them."""
    return {
        "at": event.at,
        "who": event.actor_label or "system",
        "action": action_label(event.action),
        "code": event.action,
        "site": event.site.code if event.site else "",
        "object": f"{event.object_type} {event.object_id}".strip(),
        "detail": detail_text(event),
    }


@login_required
@require_GET
def audit_log_page(request: HttpRequest) -> HttpResponse:
    """Paginated, newest first; 403 for anyone who is neither auditor nor administrator anywhere."""
    sites = _audit_sites(request)
    rows = filtered(audit_events(request.user, sites), request.GET)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {key: value for key, value in request.GET.items() if key != "page" and value}
    context = {
        "page": page,
        "rows": [_row(event) for event in page],
        "sites": sites,
        "action_types": ACTION_TYPES,
        "params": params,
        "csv_query": urlencode(params),
    }
    return render(request, "registry/audit/log.html", context)


@login_required
@require_GET
def audit_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every event the page's filters select, newest first, as CSV; the export is itself audited."""
    sites = _audit_sites(request)
    params = {key: value for key, value in request.GET.items() if key != "page" and value}
    rows = filtered(audit_events(request.user, sites), request.GET)
    audit_record(actor=request.user, action="export.audit_log", detail={"filters": params or "none"})
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kerma-audit-log.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in rows.iterator(chunk_size=2000):
        row = _row(event)
        at = row["at"].astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        yield writer.writerow(
            [at, row["who"], row["action"], row["code"], row["site"], row["object"], row["detail"]]
        )
