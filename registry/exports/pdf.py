"""The PDF audit report of one site and period: DRL compliance, charts, data-quality notes, a content hash.

The report is data first (`AuditReport`, built from registry.statistics.drl exactly as the DRL API builds it,
with the same peer rule: the person's own export sites are named, the other counting sites are anonymous
"Peer" bars, and no registry DRL is printed while too few sites count), then HTML (a template), then PDF
(WeasyPrint). The SHA-256 printed in the footer is that of the report's data
(canonical JSON, without the generation time), so the same data always prints the same hash; the PDF file's
own hash goes in the audit row. Data-quality notes the registry cannot know (rejected reports live in ingest,
which the registry never imports) come in as `extra_notes` from the caller.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from registry.exports.selection import (
    ExportRequest,
    export_record,
    export_studies,
    parse_filters,
)
from registry.exports.svg import Bar, drl_chart_svg
from registry.mapping.suggestions import unmapped_names
from registry.models import Site, StandardExam, Study, visible_sites
from registry.models.access import EXPORT_ROLES
from registry.statistics.drl import DrlStatistics, GroupRow, above, drl_statistics, selection_codes
from registry.statistics.filters import DoseFilters, population_band, registry_scope
from registry.statistics.metrics import metrics_for


@dataclass(frozen=True)
class QualityNote:
    """One data-quality list: a heading and (text, count) items; `empty` is said when there are none."""

    heading: str
    items: tuple[tuple[str, int], ...]
    empty: str


@dataclass(frozen=True)
class ComplianceRow:
    """One exam and metric at the site, in the metric's display unit, and how its median compares."""

    exam: str
    modality: str
    metric: str
    unit: str
    n: int
    median: float
    median_ci_low: float | None  # the median's 95 % interval; None: too few studies to bound it
    median_ci_high: float | None
    registry_drl: float | None
    registry_drl_ci_low: float | None
    registry_drl_ci_high: float | None
    registry_reason: str  # why there is no registry DRL ("" when there is one)
    published_drl: float | None
    published_source: str
    status: str
    chart: str = field(default="", compare=False)


@dataclass(frozen=True)
class AuditReport:
    site: str
    site_name: str
    date_from: date | None
    date_to: date | None
    filters: dict[str, str]
    studies: int
    rows: list[ComplianceRow]
    notes: list[QualityNote]

    def data(self) -> dict[str, Any]:
        """Everything the report states, as JSON-ready data (the charts only draw these numbers)."""
        content = asdict(self)
        for row in content["rows"]:
            row.pop("chart")
        return json.loads(json.dumps(content, default=str))

    def sha256(self) -> str:
        canonical = json.dumps(self.data(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


NotesFor = Callable[[Any, Site, DoseFilters], Sequence[QualityNote]]


STATUSES = (
    "too few studies",
    "above registry DRL",
    "above published DRL",
    "above registry and published DRL",
    "within",
    "no DRL to compare with",
)


def status(own: GroupRow, published: float | None, registry_drl: float | None) -> str:
    """The row's verdict (ICRP 135 compares the facility median, and only with enough studies).

    Above means strictly greater (registry.statistics.drl.above, the rule behind `above_drl`), in canonical
    units: `published` and `registry_drl` are canonical values.
    """
    if not own.counts_towards_drl:
        return "too few studies"
    if registry_drl is None and published is None:
        return "no DRL to compare with"
    exceeded = [
        name
        for name, level in (("registry", registry_drl), ("published", published))
        if above(own.values.median, level)
    ]
    return f"above {' and '.join(exceeded)} DRL" if exceeded else "within"


def build_audit_report(
    user: Any, site: Site, filters: DoseFilters, extra_notes: Sequence[QualityNote] = ()
) -> AuditReport:
    """The report's data: one compliance row per exam and metric with values at the site."""
    at_site = export_studies(user, filters)  # refuses a site the person does not export for
    # The chart names every site the person exports for; the registry's other counting sites are peers.
    mine_filters = replace(filters, site=None, exam=None)
    mine = export_studies(user, mine_filters)
    # export_studies' sites: their studies are the registry's selection there, so their groups are its rows.
    mine_codes = selection_codes(visible_sites(user, roles=EXPORT_ROLES), mine_filters)
    exams = StandardExam.objects.filter(pk__in=at_site.values("standard_exam")).order_by("modality", "name")
    registry_studies = registry_scope(filters).apply(Study.objects.all())
    rows = []
    for exam in exams:
        for metric in metrics_for(exam.modality):
            stats = drl_statistics(
                mine,
                exam=exam,
                metric=metric,
                modality=exam.modality,
                local_sites=None,
                registry_studies=registry_studies,
                scope_codes=mine_codes,
                population=population_band(filters),
            )
            row = _compliance_row(stats, site)
            if row is not None:
                rows.append(row)
    notes = [_unmapped_note(user, site), *extra_notes]
    return AuditReport(
        site.code,
        site.name,
        filters.date_from,
        filters.date_to,
        filters.as_params(),
        at_site.count(),
        rows,
        notes,
    )


def _compliance_row(stats: DrlStatistics, site: Site) -> ComplianceRow | None:
    own = next((group for group in stats.groups if group.site == site.code), None)
    if own is None:
        return None
    published = next((level for level in stats.published if level.role == "drl"), None)
    published_value = published.value_display if published is not None else None
    source = f"{published.issuer} {published.year or ''}".strip() if published is not None else ""
    registry = stats.registry
    return ComplianceRow(
        exam=stats.exam.name,
        modality=stats.modality,
        metric=stats.metric.label,
        unit=stats.metric.display_unit,
        n=own.values.n,
        median=own.display.median,
        median_ci_low=own.interval_display.low,
        median_ci_high=own.interval_display.high,
        registry_drl=registry.drl_display,
        registry_drl_ci_low=registry.drl_interval_display.low,
        registry_drl_ci_high=registry.drl_interval_display.high,
        registry_reason=registry.reason or "",
        published_drl=published_value,
        published_source=source,
        status=status(own, published.value if published is not None else None, registry.drl),
        chart=_chart(stats, site, published_value),
    )


def _chart(stats: DrlStatistics, site: Site, published: float | None) -> str:
    """The person's own sites named (the report's darker), the other counting sites as "Peer" bars."""
    named = [
        Bar(
            group.site,
            group.display.median,
            group.interval_display.low,
            group.interval_display.high,
            kind="own" if group.site == site.code else "named",
        )
        for group in stats.groups
    ]
    medians = sorted(peer.median_display for peer in stats.peers)  # by value: never by who they are
    peers = [Bar(f"Peer {number}", median, kind="peer") for number, median in enumerate(medians, start=1)]
    interval = stats.registry.drl_interval_display
    return drl_chart_svg(
        named + peers,
        registry_drl=stats.registry.drl_display,
        registry_interval=(interval.low, interval.high),
        published_drl=published,
        unit=stats.metric.display_unit,
    )


def _unmapped_note(user: Any, site: Site) -> QualityNote:
    names = unmapped_names(user, site)
    return QualityNote(
        "Study descriptions without a standard exam",
        tuple((f"{row['modality_code']} {row['name']}", row["studies"]) for row in names[:50]),
        "Every study of the site has a standard exam.",
    )


def render_pdf(report: AuditReport, generated_at: datetime) -> bytes:
    """HTML from the template, then PDF; the charts are our own SVG strings (escaped text inside)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    charts = [mark_safe(row.chart) for row in report.rows]  # noqa: S308 - built by registry.exports.svg
    html = render_to_string(
        "registry/exports/audit_report.html",
        {
            "report": report,
            # A list: the template walks it twice (the table, then the charts); a zip would be spent.
            "rows": list(zip(report.rows, charts, strict=True)),
            "sha256": report.sha256(),
            "generated_at": generated_at,
            "minimum_sites": settings.KERMA_REGISTRY_MIN_SITES,
        },
    )
    return bytes(HTML(string=html).write_pdf())


def audit_report_response(request: HttpRequest, notes_for: NotesFor | None = None) -> HttpResponse:
    """GET ?site=CODE&date_from=&date_to= (+ dashboard filters): the PDF, recorded as `export.pdf`."""
    filters = parse_filters(request)
    if filters.site is None:
        raise BadRequest("site: choose the site the report is for.")
    site = Site.objects.filter(code=filters.site).first()
    if site is None:
        raise PermissionDenied(f"You do not export for site {filters.site}.")
    extra = notes_for(request.user, site, filters) if notes_for is not None else ()
    report = build_audit_report(request.user, site, filters, extra)
    generated_at = timezone.now()
    pdf = render_pdf(report, generated_at)
    export = ExportRequest("pdf", "audit_report", filters.as_params(), report.studies, "file")
    export_record(
        actor=request.user,
        request=export,
        sha256=hashlib.sha256(pdf).hexdigest(),
        extra={"content_sha256": report.sha256()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="kerma-audit-{site.code}-{generated_at:%Y%m%d}.pdf"'
    )
    return response
