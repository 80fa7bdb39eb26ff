"""The dose dashboards: DRL charts of one exam and metric, the studies behind them, and one study.

Every read is scoped with `Study.objects.for_user` (visible_sites, the one access rule) and narrowed by the
dashboard filter family (`DoseFilters`), so the pages show exactly what GET /api/v1/stats/drl/ shows the
same person for the same parameters. Filters change the charts in place with htmx: a request carrying the
`HX-Request` header gets only the dashboard fragment (read directly: no django-htmx dependency).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from registry.dashboards.chart_source import ChartKind, ChartSource, ChartSpec, chosen_published
from registry.dashboards.charts import build_figure
from registry.dashboards.drilldown import drilldown
from registry.dashboards.filters import InvalidFiltersError, filters_from_params
from registry.dashboards.studies_list import DEFAULT_SORT, columns_for, row_values, sorted_studies, with_text
from registry.dashboards.study_page import against_levels, event_tables, study_totals
from registry.estimates.reads import study_estimates
from registry.models import Device, Modality, Sex, StandardExam, Study, visible_sites
from registry.quality.access import decision_sites
from registry.statistics.drl import GROUPINGS, GroupBy
from registry.statistics.filters import AGE_BANDS, WEIGHT_BANDS, DoseFilters
from registry.statistics.metrics import METRICS, Metric, metrics_for
from registry.statistics.workload import workload_exams

CHARTS: tuple[tuple[ChartKind, str], ...] = (
    ("drl", "Site medians and the DRL"),
    ("distribution", "Distribution"),
    ("trend", "Monthly trend"),
    ("weight", "Dose and patient weight"),
    ("workload", "Workload"),
    ("fluoroscopy", "Fluoroscopy follow-up"),
)
# Charts only one modality's dashboard offers (the fluoroscopy follow-up plots RF studies' DAP against
# their air kerma); every other chart is offered for every modality.
ONLY_FOR: dict[ChartKind, str] = {"fluoroscopy": Modality.RF}


def charts_for(modality: str) -> tuple[tuple[ChartKind, str], ...]:
    """The charts (kind, title) the dashboard of a modality offers, in the order of its tabs."""
    return tuple((kind, title) for kind, title in CHARTS if ONLY_FOR.get(kind, modality) == modality)


PAGE_SIZE = 50


def is_htmx(request: HttpRequest) -> bool:
    """An htmx swap wants the fragment; a history restore after a cache miss wants the whole page."""
    headers = request.headers
    return headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"


@dataclass(frozen=True)
class Choice:
    """The dashboard's own parameters beyond the filters, with the options the form offers."""

    modality: str
    modalities: list[dict[str, Any]]
    exam: StandardExam | None
    exams: list[dict[str, Any]]
    metric: Metric
    group_by: GroupBy
    published: int | None

    def spec(self, kind: ChartKind = "drl") -> ChartSpec:
        return ChartSpec(kind, self.modality, self.metric, self.exam, self.group_by, self.published)


def _integer(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def dashboard_choice(request: HttpRequest, *, options: bool = True) -> Choice:
    """Modality, exam and metric from the query, defaulting to the busiest the user has data for.

    The busiest modality is counted (a GROUP BY over the user's studies) only when the query names none. The
    exam options, with their patients' dated studies, come from the monthly workload counts
    (`workload_exams`: two small queries, not a GROUP BY over every study of the modality: about 17 ms
    against 330 at a million studies, docs/performance.md); a chart fragment that names its exam shows no
    form (`options` False) and skips them. Then the exam itself.
    """
    params = request.GET
    studies: QuerySet[Any, Any] = Study.objects.for_user(request.user)
    modalities: list[dict[str, Any]] = []
    if not params.get("modality"):
        modalities = list(studies.values("modality").annotate(n=Count("pk")).order_by("-n", "modality"))
    modality = params.get("modality") or (modalities[0]["modality"] if modalities else Modality.CT)
    if modality not in Modality.values:
        modality = Modality.CT
    asked = _integer(params.get("exam"))
    exams: list[dict[str, Any]] = []
    if options or asked is None:
        exams = workload_exams(visible_sites(request.user), modality)
    exam_id = asked if asked is not None else (exams[0]["standard_exam"] if exams else None)
    exam = StandardExam.objects.filter(pk=exam_id).first() if exam_id is not None else None
    metrics = metrics_for(modality)
    metric = METRICS.get(params.get("metric", ""), metrics[0])
    if metric not in metrics:
        metric = metrics[0]
    group_by = cast(GroupBy, params.get("group_by")) if params.get("group_by") in GROUPINGS else "site"
    published = _integer(params.get("published"))
    return Choice(modality, modalities, exam, exams, metric, group_by, published)


def _adult_link(params: QueryDict) -> str:
    """The same dashboard with the adult standard weight band (50-90 kg) instead of any weight range."""
    query = params.copy()
    for name in ("weight_min", "weight_max", "weight_band"):
        query.pop(name, None)
    query["weight_band"] = "adult_standard"
    return f"?{query.urlencode()}"


def _chart_query(params: QueryDict, choice: Choice) -> str:
    """The page's query with its resolved choice, so the fragments it fetches need not resolve it again."""
    query = params.copy()
    resolved = {"modality": choice.modality, "metric": choice.metric.key, "group_by": choice.group_by}
    if choice.exam is not None:
        resolved["exam"] = str(choice.exam.pk)
    for name, value in resolved.items():
        query[name] = value  # QueryDict.update would add a second value, not replace the first
    return query.urlencode()


def dashboard_context(
    request: HttpRequest, kinds: tuple[ChartKind, ...], *, options: bool = True
) -> tuple[dict[str, Any], int]:
    """The form's options (unless not `options`) and the charts of `kinds`, or the filter errors (400)."""
    choice = dashboard_choice(request, options=options)
    context: dict[str, Any] = {"choice": choice, "params": request.GET, "charts": []}
    context["chart_query"] = _chart_query(request.GET, choice)
    context.update(
        modality_choices=Modality.choices,
        metrics=metrics_for(choice.modality),
        groupings=GROUPINGS,
        sites=visible_sites(request.user).order_by("code"),
        # Querysets: a fragment shows no form, so it never reads them.
        devices=Device.objects.filter(site__in=visible_sites(request.user)).select_related("site"),
        age_bands=AGE_BANDS.values(),
        weight_bands=WEIGHT_BANDS,
        sexes=Sex.choices,
        adult_link=_adult_link(request.GET),
    )
    try:
        filters = replace(filters_from_params(request.GET), modality=choice.modality)
    except InvalidFiltersError as invalid:
        context["errors"] = invalid.labelled
        return context, 400
    source = ChartSource(choice.spec(), filters, request.user)
    for kind, title in charts_for(choice.modality):
        if kind in kinds:
            chart = {"kind": kind, "title": title, "id": f"chart-{kind}"}
            context["charts"].append({**chart, "payload": build_figure(source, kind).to_plotly_json()})
    if options and source.stats is not None:  # the page's summary and published-DRL choice; no fragment
        context["stats"] = source.stats
        context["published_levels"] = [level for level in source.stats.published if level.role == "drl"]
        context["published_drawn"] = chosen_published(source.stats, choice.published)
    return context, 200


@require_GET
@login_required
def drl_dashboard(request: HttpRequest) -> HttpResponse:
    """The DRL dashboard; an htmx request gets only the fragment under the page header."""
    # Only the first chart comes with the page; each other one is fetched when its section scrolls into
    # view (htmx "revealed"), so the page costs one chart's queries, not six (docs/performance.md).
    context, status = dashboard_context(request, (CHARTS[0][0],))
    offered = charts_for(context["choice"].modality)
    context["tabs"] = [{"kind": kind, "title": title} for kind, title in offered]
    context["deferred"] = context["tabs"][1:]
    template = "registry/dashboard/_dashboard.html" if is_htmx(request) else "registry/dashboard/drl.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])  # the page and its fragment share a URL
    return response


@require_GET
@login_required
def drl_chart(request: HttpRequest, kind: str) -> HttpResponse:
    """One chart of the dashboard as a fragment (for embedding, and to test each chart on its own)."""
    kinds = [name for name, _ in CHARTS if name == kind]
    if not kinds:
        raise Http404(f"No chart {kind!r}.")
    context, status = dashboard_context(request, (kinds[0],), options=False)
    modality = context["choice"].modality
    if kinds[0] not in dict(charts_for(modality)):
        raise Http404(f"No chart {kind!r} on the {modality} dashboard.")
    return render(request, "registry/dashboard/_charts.html", context, status=status)


@require_GET
@login_required
def studies_list(request: HttpRequest) -> HttpResponse:
    """The caller's studies under the dashboard filters, newest first, a page at a time.

    With a `metric` (a chart bar's link carries it) the list keeps only the studies with a value of it and
    shows beside each the values the bar's n counts, with their total, so the list and the hover agree
    (nine CT studies of two spirals each: n = 18 CTDIvol values in 9 studies, not 9 "studies" against 18).
    """
    context: dict[str, Any] = {"params": request.GET}
    studies = Study.objects.for_user(request.user).select_related("site", "standard_exam")
    try:
        filters, metric = filters_from_params(request.GET), listed_metric(request.GET)
    except InvalidFiltersError as invalid:
        context["errors"] = invalid.labelled
        return render(request, "registry/studies/list.html", context, status=400)
    text = request.GET.get("text", "")
    studies = with_text(filters.apply(studies), text)
    behind = None
    if metric is not None:
        device = filters.device if request.GET.get("group_by") == "device" else None
        behind = drilldown(studies, metric, site=filters.site, device=device)
        studies = behind.studies
    columns = columns_for(filters.modality)
    ordered, sort = sorted_studies(studies, columns, request.GET.get("sort", DEFAULT_SORT))
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    values = behind.display_values(study.pk for study in page) if behind else {}
    rows = [
        {**study_row(study), "values": values.get(study.pk, []), "columns": row_values(study, columns)}
        for study in page
    ]
    context.update(
        page=page,
        rows=rows,
        metric=metric,
        columns=columns,
        sort=sort,
        values_count=behind.values_count() if behind else None,
        described=described_filters(filters, request.user)
        + ([f'text "{text.strip()}"'] if text.strip() else []),
        form=_list_form(request, filters, text),
        dashboard_query=_dashboard_query(request.GET),
    )
    return render(request, "registry/studies/list.html", context)


# The list's own parameters; the others are the dashboard's, carried back by "Back to the dashboard".
LIST_ONLY = frozenset({"page", "sort", "text"})
# Filters the list's form shows; the others a drill-down carried (weight, age, sex, device, metric) ride
# along as hidden fields, so narrowing by text or date never drops them.
FORM_FIELDS = ("modality", "site", "exam", "date_from", "date_to", "text")


def _dashboard_query(params: QueryDict) -> str:
    return urlencode([(key, value) for key, value in params.items() if key not in LIST_ONLY and value])


def _list_form(request: HttpRequest, filters: DoseFilters, text: str) -> dict[str, Any]:
    """What the list's filter form shows: the chosen values, the choices, and the carried parameters."""
    studies = Study.objects.for_user(request.user)
    exams = (
        StandardExam.objects.filter(pk__in=studies.exclude(standard_exam=None).values("standard_exam"))
        .order_by("modality", "name")
        .only("pk", "name", "modality")
    )
    hidden = [
        (key, value)
        for key, value in request.GET.items()
        if key not in FORM_FIELDS and key not in LIST_ONLY and value
    ]
    return {
        "modalities": Modality.choices,
        "sites": visible_sites(request.user).order_by("code").values_list("code", flat=True),
        "exams": exams,
        "values": {name: request.GET.get(name, "") for name in FORM_FIELDS},
        "hidden": hidden,
        "text": text,
    }


def listed_metric(params: QueryDict) -> Metric | None:
    """The metric a bar's link names (None: none named); an unknown key is a 400 like a bad filter."""
    key = params.get("metric")
    if not key:
        return None
    if key not in METRICS:
        raise InvalidFiltersError({"metric": ["Unknown metric."]})
    return METRICS[key]


def described_filters(filters: DoseFilters, user: Any) -> list[str]:
    """The selection in words for the list's heading: names and labels, never a parameter's key or an id."""
    words = [f"modality {filters.modality}"] if filters.modality else []
    if filters.exam is not None:
        exam = StandardExam.objects.filter(pk=filters.exam).first()
        words.append(f"exam {exam.name if exam else 'unknown'}")
    if filters.site:
        words.append(f"site {filters.site}")
    if filters.device is not None:
        device = Device.objects.filter(pk=filters.device, site__in=visible_sites(user)).first()
        words.append(f"device {device}" if device else "a device not at your sites")
    if filters.date_from:
        words.append(f"from {filters.date_from.isoformat()}")
    if filters.date_to:
        words.append(f"to {filters.date_to.isoformat()}")
    if filters.weight_band:
        words.append(f"weight {WEIGHT_BANDS[filters.weight_band].label.lower()}")
    if filters.weight_min is not None:
        words.append(f"weight from {filters.weight_min:g} kg")
    if filters.weight_max is not None:
        words.append(f"weight to {filters.weight_max:g} kg")
    if filters.age_band:
        words.append(f"age {AGE_BANDS[filters.age_band].label}")
    if filters.sex:
        words.append(f"sex {Sex(filters.sex).label.lower()}")
    return words


def study_row(study: Study) -> dict[str, Any]:
    """A study with its main totals in display units (per-exam metrics that are plain columns)."""
    shown = {
        "dlp": study.ct_dlp_total_mgycm,
        "dap": study.dap_total_gym2,
        "dose_rp": study.dose_rp_total_gy,
        "fluoro_time": study.fluoro_time_total_s,
        "activity": study.administered_activity_mbq,
        "agd_exam": _both_breasts(study.agd_total_left_mgy, study.agd_total_right_mgy),
    }
    totals = [(METRICS[key], METRICS[key].to_display(value)) for key, value in shown.items()]
    return {"study": study, "totals": [(metric, value) for metric, value in totals if value is not None]}


def _both_breasts(left: float | None, right: float | None) -> float | None:
    """The examination's AGD as the agd_exam metric defines it: left plus right, None if neither is stated."""
    return None if left is None and right is None else (left or 0.0) + (right or 0.0)


@require_GET
@login_required
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One study: its reports' stated totals, its events and administrations; 404 for other sites' studies."""
    studies = Study.objects.for_user(request.user).select_related("site", "standard_exam")
    study = get_object_or_404(studies, pk=pk)
    events = list(study.events.select_related("device"))
    row = study_row(study)
    context = {
        "row": row,
        "totals": study_totals(row["totals"], events),
        "study": study,
        "reports": [study_row_of_report(report) for report in study.reports.select_related("device")],
        "events": events,
        "tables": event_tables(events),
        "levels": against_levels(request.user, study),
        "administrations": study.administrations.all(),
        "estimates": study_estimates(study),  # Patient Radiation Dose SRs (registry.estimates)
        # Only those who may decide see the QA form (registry.quality.access, the rule its views apply).
        "can_decide_qa": decision_sites(request.user).filter(pk=study.site_id).exists(),
    }
    return render(request, "registry/studies/detail.html", context)


def study_row_of_report(report: Any) -> dict[str, Any]:
    """A report's own stated totals in display units, like a study row (nothing summed: what it states)."""
    row = study_row(report)
    return {**row, "report": report, "shown": study_totals(row["totals"], [])}


@require_GET
@login_required
def chart_page(request: HttpRequest, kind: str) -> HttpResponse:
    """One chart of the dashboard at its own address: a whole page for a shared link, a bookmark or printing;
    htmx (the dashboard's deferred sections) gets the fragment.

    The page says in words which studies the chart shows and links back to the dashboard with the same
    filters, so a chart opened from a link never hides what it was narrowed to.
    """
    if is_htmx(request):
        response = drl_chart(request, kind)
    else:
        titles: dict[str, str] = dict(CHARTS)
        if kind not in titles:
            raise Http404(f"No chart {kind!r}.")
        context, status = dashboard_context(request, (cast(ChartKind, kind),), options=False)
        if status == 200 and not context["charts"]:  # a chart this modality's dashboard does not offer
            raise Http404(f"No chart {kind!r} on this dashboard.")
        choice: Choice = context["choice"]
        metric = f"metric {choice.metric.label} ({choice.metric.display_unit})"
        exam = [f"exam {choice.exam.name}"] if choice.exam else []
        described = [f"modality {choice.modality}", *exam, metric, f"per {choice.group_by}"]
        if status == 200:  # the exam is named above; the rest as the studies list words it
            filters = replace(filters_from_params(request.GET), modality=None, exam=None)
            described += described_filters(filters, request.user)
        context.update(kind=kind, title=titles[kind], described=described)
        response = render(request, "registry/dashboard/chart_page.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])  # the page and its fragment share a URL
    return response
