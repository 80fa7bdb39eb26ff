"""The protocols dashboard: dose per acquisition protocol (a table and a chart), a histogram, monthly
medians per protocol and dose against patient size, for the caller's sites.

Scoped and filtered like the DRL dashboard (registry.dashboards.views): `Study.objects.for_user`, the
dashboard filter family (`filters_from_params`) and the statistics' population (adults unless a paediatric
band is asked), so both pages count the same studies. An htmx request gets only the fragment; each chart
after the first is fetched on its own when it scrolls into view, at /dashboards/protocols/charts/<kind>/.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from registry.dashboards.filters import InvalidFiltersError, filters_from_params
from registry.dashboards.protocol_charts import (
    BUILDERS,
    ProtocolChartKind,
    ProtocolSource,
    counted,
    protocol_label,
    protocols_figure,
)
from registry.dashboards.views import described_filters, is_htmx
from registry.models import Device, Modality, Sex, StandardExam, Study, visible_sites
from registry.statistics.filters import AGE_BANDS, WEIGHT_BANDS, population_band, population_condition
from registry.statistics.metrics import Metric
from registry.statistics.protocols import PROTOCOL_METRICS, SIZES, Size, chart_metrics, protocol_table

CHARTS: tuple[tuple[ProtocolChartKind, str], ...] = (
    ("protocols", "Dose per protocol"),
    ("histogram", "Histogram"),
    ("timeline", "Against time"),
    ("size", "Dose and patient size"),
)
PAGE = "registry/dashboard/protocols.html"
FRAGMENT = "registry/dashboard/_protocol_dashboard.html"
FRAGMENT_CHART = "registry/dashboard/_charts.html"


@dataclass(frozen=True)
class ProtocolChoice:
    """The page's own parameters beyond the dashboard filters: modality, protocol, metric and size."""

    modality: str
    protocol: str | None
    metric: Metric
    size: Size

    @property
    def metrics(self) -> list[Metric]:
        return chart_metrics(self.modality)


def protocol_choice(request: HttpRequest) -> ProtocolChoice:
    """The choices from the query; without a modality the caller's busiest one with events (one query)."""
    params = request.GET
    modality = params.get("modality", "")
    if modality not in PROTOCOL_METRICS:
        busiest = (
            Study.objects.for_user(request.user)
            .filter(modality__in=list(PROTOCOL_METRICS))
            .values("modality")
            .annotate(n=Count("pk"))
            .order_by("-n", "modality")
            .first()
        )
        modality = busiest["modality"] if busiest else Modality.CT.value
    metrics = {metric.key: metric for metric in chart_metrics(modality)}
    metric = metrics.get(params.get("metric", ""), next(iter(metrics.values())))
    size = SIZES.get(params.get("size", ""), SIZES["weight"])
    return ProtocolChoice(modality, params.get("protocol") or None, metric, size)


def protocol_source(request: HttpRequest, choice: ProtocolChoice) -> ProtocolSource:
    """The caller's studies under the filters, in the statistics' population; InvalidFiltersError (400)."""
    filters = replace(filters_from_params(request.GET), modality=choice.modality)
    band = population_band(filters)
    studies = filters.apply(Study.objects.for_user(request.user)).filter(population_condition(band))
    subject = [f"protocol {protocol_label(choice.protocol)}"] if choice.protocol is not None else []
    if filters.exam is not None:
        exam = StandardExam.objects.filter(pk=filters.exam).first()
        subject.append(f"exam {exam.name if exam else 'unknown'}")
    words = ", ".join(subject) or f"every {choice.modality} protocol"
    return ProtocolSource(
        studies, choice.modality, choice.metric, choice.protocol, choice.size, words, band.label
    )


def _query(params: QueryDict, **values: str | None) -> str:
    """The page's query with some parameters set (or removed, for None)."""
    query = params.copy()
    for name, value in values.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return query.urlencode()


def _form_options(request: HttpRequest, choice: ProtocolChoice) -> dict[str, Any]:
    """What the filter form offers: modalities with events, the modality's mapped exams, sites, devices."""
    studies = Study.objects.for_user(request.user)
    exams = (
        studies.filter(modalities__contains=choice.modality, standard_exam__isnull=False)
        .values("standard_exam", "standard_exam__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "standard_exam__name")
    )
    return {
        "modality_choices": [(key, label) for key, label in Modality.choices if key in PROTOCOL_METRICS],
        "exams": exams,
        "sizes": SIZES.values(),
        # Querysets: read only where the form is drawn.
        "sites": visible_sites(request.user).order_by("code"),
        "devices": Device.objects.filter(site__in=visible_sites(request.user)).select_related("site"),
        "age_bands": AGE_BANDS.values(),
        "weight_bands": WEIGHT_BANDS,
        "sexes": Sex.choices,
    }


def protocol_context(request: HttpRequest) -> tuple[dict[str, Any], int]:
    """The page's form, table and first chart, and the deferred charts' links; or the filter errors (400)."""
    choice = protocol_choice(request)
    # Links and fragments carry the resolved modality, so they need not look for the busiest again.
    resolved = QueryDict(_query(request.GET, modality=choice.modality))
    context: dict[str, Any] = {"choice": choice, "params": request.GET, "charts": []}
    context.update(_form_options(request, choice))
    try:
        source = protocol_source(request, choice)
    except InvalidFiltersError as invalid:
        context["errors"] = invalid.labelled
        return context, 400
    table = protocol_table(source.studies, choice.modality)
    metrics = table.modality.metrics
    rows = [
        {
            "row": row,
            "label": protocol_label(row.protocol),
            "query": _query(resolved, protocol=row.protocol),
            "summaries": [row.summaries[metric.key] for metric in metrics],
        }
        for row in table.rows
    ]
    kind, title = CHARTS[0]
    payload = protocols_figure(table, source.patients).to_plotly_json()
    context.update(
        source=source,
        table=table,
        rows=rows,
        colspan=3 + 5 * len(metrics),
        population=counted(table.population),
        protocols=[row.protocol for row in table.rows if row.protocol],
        all_protocols=f"?{_query(resolved, protocol=None)}",
        charts=[{"kind": kind, "title": title, "id": f"chart-{kind}", "payload": payload}],
        deferred=[{"kind": kind, "title": title} for kind, title in CHARTS[1:]],
        tabs=[{"kind": kind, "title": title} for kind, title in CHARTS],
        chart_query=resolved.urlencode(),
    )
    return context, 200


@require_GET
@login_required
def protocols_dashboard(request: HttpRequest) -> HttpResponse:
    """The protocols dashboard; an htmx request gets only the fragment under the page header."""
    context, status = protocol_context(request)
    response = render(request, FRAGMENT if is_htmx(request) else PAGE, context, status=status)
    patch_vary_headers(response, ["HX-Request"])  # the page and its fragment share a URL
    return response


@require_GET
@login_required
def protocol_chart(request: HttpRequest, kind: str) -> HttpResponse:
    """One chart of the protocols dashboard: the fragment the page fetches when it is revealed (htmx), or a
    whole page of its own for a shared link, a bookmark or printing, saying which studies it shows."""
    titles = dict(CHARTS)
    if kind not in titles:
        raise Http404(f"No chart {kind!r}.")
    choice = protocol_choice(request)
    context: dict[str, Any] = {"choice": choice, "charts": []}
    context["chart_query"] = _query(request.GET, modality=choice.modality)
    status = 200
    try:
        payload = BUILDERS[kind](protocol_source(request, choice)).to_plotly_json()
        context["charts"] = [{"kind": kind, "title": titles[kind], "id": f"chart-{kind}", "payload": payload}]
    except InvalidFiltersError as invalid:
        context["errors"], status = invalid.labelled, 400
    if is_htmx(request):
        template = FRAGMENT_CHART if status == 200 else "registry/dashboard/_protocol_errors.html"
    else:
        described = _described(request, choice, kind) if status == 200 else []
        context["standalone"] = {"kind": kind, "title": titles[kind], "described": described}
        template = PAGE
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])  # the page and its fragment share a URL
    return response


def _described(request: HttpRequest, choice: ProtocolChoice, kind: str) -> list[str]:
    """What a chart on its own page shows, in words, as the studies list words its filters."""
    words = [f"modality {choice.modality}"]
    if choice.protocol is not None:
        words.append(f"protocol {protocol_label(choice.protocol)}")
    if kind in ("histogram", "size"):
        words.append(f"metric {choice.metric.label} ({choice.metric.display_unit})")
    if kind == "size":
        words.append(f"against {choice.size.label.lower()} ({choice.size.unit})")
    filters = replace(filters_from_params(request.GET), modality=None)
    return words + described_filters(filters, request.user)
