"""The PDF audit report's route: registry builds the report, ingest adds the rejected reports of the period.

The report itself lives in registry.exports.pdf; only this module may read both registries (ingest depends
on registry, never the reverse), so it supplies the one data-quality note the registry cannot know.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from ingest.models import State, Submission
from registry.exports.pdf import QualityNote, audit_report_response
from registry.models import Site
from registry.statistics.filters import DoseFilters


def rejected_reports(user: Any, site: Site, filters: DoseFilters) -> list[QualityNote]:
    """Rejected submissions of the site received in the period, counted per error kind."""
    rows = Submission.objects.for_user(user).filter(site=site, state=State.REJECTED)
    if filters.date_from is not None:
        rows = rows.filter(received_at__date__gte=filters.date_from)
    if filters.date_to is not None:
        rows = rows.filter(received_at__date__lte=filters.date_to)
    kinds = rows.values("error_kind").annotate(n=Count("pk")).order_by("-n", "error_kind")
    items = tuple((row["error_kind"] or "unknown", row["n"]) for row in kinds)
    return [
        QualityNote("Rejected reports in the period, by kind", items, "No report was rejected in the period.")
    ]


@login_required
@require_GET
def audit_report_pdf(request: HttpRequest) -> HttpResponse:
    return audit_report_response(request, notes_for=rejected_reports)


urlpatterns: list[URLPattern] = [
    path("exports/audit-report.pdf", audit_report_pdf, name="audit-report-pdf"),
]
