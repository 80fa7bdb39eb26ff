"""The audit-log page: sign-ins, exports, mapping, reference-level and token changes, for auditors.

Auditors and administrators see the rows of their sites (`visible_sites(user, roles=AUDIT_ROLES)`), and
rows without a site (sign-ins, exports across several sites) of people who are members of those sites;
superusers see everything.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from registry.models import AuditEvent, Site, visible_sites
from registry.models.access import AUDIT_ROLES
from registry.report_rows import parse_date

ACTION_TYPES = {
    "auth.": "Sign-ins",
    "export.": "Exports",
    "mapping_rule.": "Mapping rules",
    "reference_level.": "Reference levels",
    "token.": "Upload tokens",
}
PAGE_SIZE = 50


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


@login_required
@require_GET
def audit_log_page(request: HttpRequest) -> HttpResponse:
    """Paginated, newest first; 403 for anyone who is neither auditor nor administrator anywhere."""
    sites = visible_sites(request.user, roles=AUDIT_ROLES)
    if not request.user.is_superuser and not sites.exists():
        raise PermissionDenied("The audit log is for auditors and administrators.")
    rows = filtered(audit_events(request.user, sites), request.GET)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sites": sites,
        "action_types": ACTION_TYPES,
        "params": {key: value for key, value in request.GET.items() if key != "page" and value},
    }
    return render(request, "registry/audit/log.html", context)
