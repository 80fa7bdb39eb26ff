"""The home page's ingest widget: submissions per state in the last days, fetched with htmx.

It lives in ingest because registry never imports ingest: the registry's home page only names this URL.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET

from ingest.models import State, Submission
from registry.access.context_processors import navigation

SUMMARY_DAYS = 7


@require_GET
@login_required
def upload_summary(request: HttpRequest) -> HttpResponse:
    """A small table of the user's sites' submissions per state since SUMMARY_DAYS ago (one GROUP BY)."""
    since = timezone.now() - timedelta(days=SUMMARY_DAYS)
    counts = dict(
        Submission.objects.for_user(request.user)
        .filter(received_at__gte=since)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = format_html_join(
        "",
        '<tr><th scope="row" class="state state-{}">{}</th><td class="value">{}</td></tr>',
        ((state.value, state.label, counts.get(state.value, 0)) for state in State),
    )
    html = format_html('<table class="submissions compact ingest-summary">{}</table>', rows)
    if navigation(request)["nav"]["upload"]:  # the same rule as the navigation's Upload link
        link = '<p><a href="{}">Upload dose reports</a> and follow each file until it is stored.</p>'
        html += format_html(link, reverse("upload"))
    return HttpResponse(html)
