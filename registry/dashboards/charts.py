"""The dose charts: a chart spec, the dashboard filters and the user in, a plotly Figure out.

One pipeline for every modality: the spec names a metric of the registry (registry.statistics.metrics) and
the builders ask it for the column, unit and display factor. The numbers come from the database only,
through registry.statistics.drl (the very function behind GET /api/v1/stats/drl/, called with the same
arguments, so a chart and the API show the same medians, quartiles, n and registry levels) and
registry.dashboards.queries. The
figure is built server-side with plotly.graph_objects; the page ships `figure.to_plotly_json()` in a
json_script element, and static/js/charts.js draws it, so no inline script is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Literal
from urllib.parse import urlencode

import plotly.graph_objects as go
from django.urls import reverse

from registry.dashboards import queries
from registry.models import StandardExam, Study, visible_sites
from registry.models.studies import StudyQuerySet
from registry.statistics.drl import (
    DrlStatistics,
    GroupBy,
    GroupRow,
    PublishedLevel,
    drl_statistics,
    selection_codes,
)
from registry.statistics.filters import DoseFilters, population_band, population_condition, registry_scope
from registry.statistics.metrics import METRICS, Metric
from registry.statistics.workload import workload_rows

ChartKind = Literal["drl", "distribution", "trend", "weight", "workload", "fluoroscopy"]
POINT_CAP = 2_000  # points of a scatter: enough to see a distribution, small enough for any browser
WORKLOAD_EXAMS = 8  # exams drawn separately in the workload chart; the rest are "Other exams"
ABOVE, BELOW, UNRATED, PEER = "#c0392b", "#2e6da4", "#7f8c8d", "#c8ced6"
PALETTE = ("#2e6da4", "#e67e22", "#27ae60", "#8e44ad", "#c0392b", "#16a085", "#d35400", "#2c3e50")


@dataclass(frozen=True)
class ChartSpec:
    """What to draw: the kind, and the exam, metric and grouping it is about."""

    kind: ChartKind
    modality: str
    metric: Metric
    exam: StandardExam | None = None
    group_by: GroupBy = "site"
    published: int | None = None  # the published DRL drawn; None: the first current P75 of exam and metric


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal (or, for `axis` "x", vertical) line at a level in the metric's display unit."""

    name: str
    label: str
    value: float
    dash: str
    color: str
    axis: Literal["x", "y"] = "y"


class ChartSource:
    """The scoped, filtered studies of one request and what several charts share (computed once)."""

    def __init__(self, spec: ChartSpec, filters: DoseFilters, user: Any) -> None:
        self.spec, self.filters, self.user = spec, filters, user

    @property
    def studies(self) -> StudyQuerySet:
        """The caller's studies under the filters, the exam left to each chart (as the API does)."""
        return replace(self.filters, exam=None).apply(Study.objects.for_user(self.user))

    @property
    def patients(self) -> StudyQuerySet:
        """The studies the trend and weight charts summarise: those of the statistics' population."""
        return self.studies.filter(population_condition(population_band(self.filters)))

    @cached_property
    def stats(self) -> DrlStatistics | None:
        """drl_statistics with the API's arguments (registry levels from every site); None without an exam."""
        if self.spec.exam is None:
            return None
        return drl_statistics(
            self.studies,
            exam=self.spec.exam,
            metric=self.spec.metric,
            modality=self.spec.modality,
            group_by=self.spec.group_by,
            local_sites=visible_sites(self.user),
            registry_studies=registry_scope(self.filters).apply(Study.objects.all()),
            scope_codes=selection_codes(visible_sites(self.user), self.filters),
            population=population_band(self.filters),
        )

    @property
    def lines(self) -> list[ReferenceLine]:
        return reference_lines(self.stats, self.spec.published) if self.stats else []


def chosen_published(stats: DrlStatistics, level_id: int | None) -> PublishedLevel | None:
    """The published DRL to draw: the one asked for, else the first current P75 (published before local)."""
    drls = [level for level in stats.published if level.role == "drl"]
    chosen = [level for level in drls if level.id == level_id] or drls
    return chosen[0] if chosen else None


def reference_lines(stats: DrlStatistics, published_id: int | None) -> list[ReferenceLine]:
    """The registry DRL (its label with its 95 % interval) and typical value, and one published DRL."""
    unit = stats.metric.display_unit
    lines = []
    if stats.registry.drl_display is not None:
        value = stats.registry.drl_display
        label = f"Registry DRL {value:.4g} {unit} ({_interval_text(stats)})"
        lines.append(ReferenceLine("registry DRL", label, value, "dash", ABOVE))
    if stats.registry.typical_display is not None:
        value = stats.registry.typical_display
        lines.append(ReferenceLine("typical", f"Typical {value:.4g} {unit}", value, "dot", "#555555"))
    level = chosen_published(stats, published_id)
    if level is not None:
        marked = " (unverified)" if level.unverified else ""
        text = f"{level.source}: DRL {level.value_display:.4g} {unit}{marked}"
        lines.append(ReferenceLine("published DRL", text, level.value_display, "dashdot", "#27ae60"))
    return lines


def _interval_text(stats: DrlStatistics) -> str:
    """The registry DRL's 95 % interval in words; with few groups the upper bound is open (intervals.py)."""
    low, high = stats.registry.drl_interval_display.low, stats.registry.drl_interval_display.high
    counted = f"{stats.registry.sites_counted} {stats.group_by}s"
    if low is not None and high is not None:
        return f"95 % CI {low:.4g} to {high:.4g}"
    if low is not None:
        return f"95 % CI from {low:.4g}, upper bound open with {counted}"
    return f"no 95 % CI with {counted}"


def _draw_registry_interval(figure: go.Figure, stats: DrlStatistics) -> go.Figure:
    """The registry DRL's 95 % interval as a band (or, upper bound open, a dotted lower line); or, while
    the registry values are withheld, the reason in the corner."""
    if stats.registry.reason is not None:
        figure.add_annotation(text=f"No registry DRL: {stats.registry.reason}", **CORNER)
        return figure
    low, high = stats.registry.drl_interval_display.low, stats.registry.drl_interval_display.high
    style = {"name": "registry DRL 95 % CI", "line_width": 0, "fillcolor": ABOVE, "opacity": 0.1}
    if low is not None and high is not None:
        figure.add_hrect(y0=low, y1=high, **style)
    elif low is not None:
        figure.add_hline(y=low, name="registry DRL 95 % CI", line={"dash": "dot", "color": ABOVE, "width": 1})
    return figure


def _figure(title: str, x_title: str, y_title: str) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(
        template="plotly_white",
        title={"text": title, "x": 0.0, "xanchor": "left"},
        xaxis_title=x_title,
        yaxis_title=y_title,
        margin={"l": 70, "r": 30, "t": 60, "b": 60},
        height=440,
        legend={"orientation": "h", "y": -0.2},
    )
    return figure


def _draw_lines(figure: go.Figure, lines: list[ReferenceLine]) -> go.Figure:
    for line in lines:
        style = {"line_dash": line.dash, "line_color": line.color, "line_width": 2, "name": line.name}
        label = {"text": line.label, "textposition": "end", "font": {"color": line.color, "size": 11}}
        if line.axis == "y":
            figure.add_hline(y=line.value, label=label, **style)
        else:
            figure.add_vline(x=line.value, label=label, **style)
    return figure


CORNER = {"showarrow": False, "xref": "paper", "yref": "paper", "x": 1.0, "y": 1.08, "xanchor": "right"}


def _empty(figure: go.Figure, message: str) -> go.Figure:
    figure.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    return figure


def _axis_title(metric: Metric) -> str:  # the unit in every axis title
    return f"{metric.label} ({metric.display_unit})"


def _title(source: ChartSource, what: str) -> str:
    exam = source.spec.exam.name if source.spec.exam else "no exam"
    return f"{what}: {exam}, {source.spec.metric.label}"


def group_label(row: GroupRow) -> str:
    return row.site if row.device is None else f"{row.device_name or row.device} ({row.site})"


def studies_link(source: ChartSource, row: GroupRow) -> str:
    """The studies and values behind a bar: the list page with the chart's filters, exam, metric and group.

    The metric makes the list show the values the bar's n counts (a per-sequence metric counts events, not
    studies); `group_by=device` makes it count only the device's own values, as the device's bar does.
    """
    params = replace(source.filters, exam=source.spec.exam.pk if source.spec.exam else None).as_params()
    params["metric"] = source.spec.metric.key
    params["site"] = row.site
    if row.device is not None:
        params["device"] = str(row.device)
        params["group_by"] = "device"
    return f"{reverse('studies')}?{urlencode(params)}"


def drl_figure(source: ChartSource) -> go.Figure:
    """Each group's median with its IQR, coloured by whether it is above the registry DRL."""
    metric, stats = source.spec.metric, source.stats
    figure = _figure(_title(source, "Median per site"), source.spec.group_by.title(), _axis_title(metric))
    if stats is None or not stats.groups:
        return _empty(figure, "No studies with a value for these filters")
    names = {True: "Median above the registry DRL", False: "Median at or below", None: "Median (no DRL)"}
    for status, color in ((True, ABOVE), (False, BELOW), (None, UNRATED)):
        rows = [row for row in stats.groups if row.above_drl is status]
        if rows:
            figure.add_trace(_drl_bars(source, rows, names[status], color))
    if stats.peers:
        figure.add_trace(_peer_bars(stats))
    figure.update_layout(barmode="overlay", xaxis={"type": "category"})
    _draw_registry_interval(figure, stats)
    return _draw_lines(figure, source.lines)


def _drl_bars(source: ChartSource, rows: list[GroupRow], name: str, color: str) -> go.Bar:
    """The caller's own groups, named; error bars are each median's 95 % interval (none where open)."""
    unit = source.spec.metric.display_unit
    minimum = source.stats.minimum_sample if source.stats else 0
    return go.Bar(
        name=name,
        x=[group_label(row) for row in rows],
        y=[row.display.median for row in rows],
        marker={"color": color, "opacity": [1.0 if row.counts_towards_drl else 0.45 for row in rows]},
        error_y={
            "type": "data",
            "symmetric": False,
            "array": [_arm(row.interval_display.high, row.display.median) for row in rows],
            "arrayminus": [_arm(row.display.median, row.interval_display.low) for row in rows],
            # No caps: plotly draws a missing (open) interval as a zero-length bar, which a cap would show.
            "width": 0,
            "thickness": 2,
        },
        customdata=[
            [row.values.n, row.display.p25, row.display.p75, studies_link(source, row)] for row in rows
        ],
        hovertext=[_median_interval_text(row) for row in rows],
        hovertemplate=(
            f"%{{x}}<br>median %{{y:.4g}} {unit}, %{{hovertext}}<br>IQR %{{customdata[1]:.4g}} to "
            f"%{{customdata[2]:.4g}} {unit}<br>n = %{{customdata[0]}} (counted from {minimum})"
            "<br>click: the studies<extra></extra>"
        ),
    )


def _arm(upper: float | None, lower: float | None) -> float | None:
    """The length of one error-bar arm; None (no arm) where the interval's bound is open."""
    return None if upper is None or lower is None else upper - lower


def _median_interval_text(row: GroupRow) -> str:
    low, high = row.interval_display.low, row.interval_display.high
    if low is None or high is None:
        return f"no 95 % CI from n = {row.values.n}"
    return f"95 % CI {low:.4g} to {high:.4g}"


def _peer_bars(stats: DrlStatistics) -> go.Bar:
    """The other counting groups, anonymous: "Peer 1..k" in order of their medians, which says nothing of who
    they are (never the facilities' order, which is by site code); no link, no n, no interval."""
    shown = sorted(peer.median_display for peer in stats.peers)
    return go.Bar(
        name=f"Other {stats.group_by}s (anonymous)",
        x=[f"Peer {number}" for number in range(1, len(shown) + 1)],
        y=shown,
        marker={"color": PEER},
        hovertemplate=f"%{{x}}<br>median %{{y:.4g}} {stats.metric.display_unit}<extra></extra>",
    )


def distribution_figure(source: ChartSource) -> go.Figure:
    """A box per group from the quartiles computed in the database; whiskers reach the minimum and maximum."""
    metric, stats = source.spec.metric, source.stats
    figure = _figure(
        _title(source, "Distribution per site"), source.spec.group_by.title(), _axis_title(metric)
    )
    if stats is None or not stats.groups:
        return _empty(figure, "No studies with a value for these filters")
    for row in stats.groups:
        shown = row.display
        figure.add_trace(
            go.Box(
                name=f"{group_label(row)} (n={row.values.n})",
                x=[group_label(row)],
                q1=[shown.p25],
                median=[shown.median],
                q3=[shown.p75],
                lowerfence=[shown.minimum],
                upperfence=[shown.maximum],
                mean=[shown.mean],
                boxpoints=False,
                marker_color=ABOVE if row.above_drl else BELOW,
            )
        )
    figure.update_layout(showlegend=False)
    _draw_registry_interval(figure, stats)
    return _draw_lines(figure, source.lines)


def trend_figure(source: ChartSource) -> go.Figure:
    """Monthly medians per site (one GROUP BY site, month)."""
    metric = source.spec.metric
    figure = _figure(_title(source, "Monthly median"), "Month", _axis_title(metric))
    if source.spec.exam is None:
        return _empty(figure, "Choose an exam")
    rows = queries.monthly_medians(source.patients.filter(standard_exam=source.spec.exam), metric)
    for index, site in enumerate(sorted({row["site_code"] for row in rows})):
        mine = [row for row in rows if row["site_code"] == site]
        figure.add_scatter(
            name=site,
            x=[row["month"].isoformat() for row in mine],
            y=[metric.to_display(row["median"]) for row in mine],
            customdata=[row["n"] for row in mine],
            mode="lines+markers",
            line_color=PALETTE[index % len(PALETTE)],
            hovertemplate=f"{site} %{{x|%b %Y}}<br>median %{{y:.4g}} {metric.display_unit}"
            "<br>n = %{customdata}<extra></extra>",
        )
    if not rows:
        _empty(figure, "No studies with a date and a value for these filters")
    return _draw_lines(figure, source.lines)


def weight_figure(source: ChartSource) -> go.Figure:
    """Dose against patient weight per site: a capped sample of points and each site's least-squares line."""
    metric = source.spec.metric
    figure = _figure(
        _title(source, "Dose against patient weight"), "Patient weight (kg)", _axis_title(metric)
    )
    if source.spec.exam is None:
        return _empty(figure, "Choose an exam")
    studies = source.patients.filter(standard_exam=source.spec.exam)
    fits = queries.weight_fits(studies, metric)
    points = queries.weight_sample(studies, metric, sum(fit.n for fit in fits), POINT_CAP)
    for index, fit in enumerate(fits):
        color = PALETTE[index % len(PALETTE)]
        mine = [point for point in points if point["site_code"] == fit.site]
        figure.add_scatter(
            name=fit.site,
            legendgroup=fit.site,
            x=[point["weight"] for point in mine],
            y=[metric.to_display(point["metric_value"]) for point in mine],
            customdata=[reverse("study", args=[point["study_pk"]]) for point in mine],
            mode="markers",
            marker={"color": color, "size": 6, "opacity": 0.6},
            hovertemplate=f"{fit.site}: %{{x:.3g}} kg, %{{y:.4g}} {metric.display_unit}<extra></extra>",
        )
        if fit.slope is not None and fit.intercept is not None:
            figure.add_trace(
                _fit_line(
                    fit, fit.slope * metric.display_factor, fit.intercept * metric.display_factor, color
                )
            )
    if not fits:
        _empty(figure, "No studies with a weight and a value for these filters")
    elif sum(fit.n for fit in fits) > len(points):
        figure.add_annotation(text=f"{len(points)} of {sum(fit.n for fit in fits)} points shown", **CORNER)
    return _draw_lines(figure, source.lines)


def _fit_line(fit: queries.Fit, slope: float, intercept: float, color: str) -> go.Scatter:
    """The site's line over its weight range; `meta` keeps the display-unit slope and intercept."""
    ends = [fit.weight_min, fit.weight_max]
    return go.Scatter(
        name=f"{fit.site} fit: {intercept:.4g} + {slope:.4g}·kg (n={fit.n})",
        legendgroup=fit.site,
        x=ends,
        y=[intercept + slope * weight for weight in ends],
        mode="lines",
        line={"color": color, "width": 2},
        meta={"site": fit.site, "slope": slope, "intercept": intercept, "n": fit.n},
        hovertemplate=f"{fit.site} fit<br>%{{x:.3g}} kg: %{{y:.4g}}<extra></extra>",
    )


def workload_figure(source: ChartSource) -> go.Figure:
    """Studies per month and site, stacked by standard exam (the busiest exams, then 'Other exams')."""
    figure = _figure("Workload: studies per month and site", "Month / site", "Studies")
    rows = workload_rows(visible_sites(source.user), source.filters)
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["exam_name"]] = totals.get(row["exam_name"], 0) + row["n"]
    shown = sorted(totals, key=lambda name: (-totals[name], name))[:WORKLOAD_EXAMS]
    columns = sorted({(row["month"].isoformat()[:7], row["site_code"]) for row in rows})
    counts: dict[tuple[str, str, str], int] = {}
    for row in rows:
        exam = row["exam_name"] if row["exam_name"] in shown else "Other exams"
        key = (exam, row["month"].isoformat()[:7], row["site_code"])
        counts[key] = counts.get(key, 0) + row["n"]
    exams = shown + (["Other exams"] if len(totals) > len(shown) else [])
    for index, exam in enumerate(exams):
        figure.add_bar(
            name=exam,
            x=[[month for month, _ in columns], [site for _, site in columns]],
            y=[counts.get((exam, month, site), 0) for month, site in columns],
            marker_color=PALETTE[index % len(PALETTE)],
            hovertemplate=f"{exam}<br>%{{x}}: %{{y}} studies<extra></extra>",
        )
    figure.update_layout(barmode="stack")
    return figure if rows else _empty(figure, "No studies for these filters")


def fluoroscopy_figure(source: ChartSource) -> go.Figure:
    """RF studies: DAP against reference-point air kerma, with the loaded follow-up thresholds as lines."""
    dap, dose = METRICS["dap"], METRICS["dose_rp"]
    figure = _figure(
        "Fluoroscopy: DAP against reference-point air kerma", _axis_title(dose), _axis_title(dap)
    )
    studies = replace(source.filters, exam=None, modality="RF").apply(Study.objects.for_user(source.user))
    total, points = queries.fluoroscopy_points(studies, POINT_CAP)
    sites = sorted({point["site_code"] for point in points})
    for index, site in enumerate(sites):
        mine = [point for point in points if point["site_code"] == site]
        figure.add_scatter(
            name=site,
            x=[dose.to_display(point["dose_rp"]) for point in mine],
            y=[dap.to_display(point["dap"]) for point in mine],
            customdata=[reverse("study", args=[point["pk"]]) for point in mine],
            mode="markers",
            marker={"color": PALETTE[index % len(PALETTE)], "size": 7, "opacity": 0.7},
            hovertemplate=f"{site}: %{{x:.4g}} {dose.display_unit}, %{{y:.4g}} {dap.display_unit}"
            "<br>click: the study<extra></extra>",
        )
    if total > len(points):
        figure.add_annotation(text=f"{len(points)} of {total} studies shown", **CORNER)
    _draw_lines(figure, threshold_lines(visible_sites(source.user)))
    return figure if points else _empty(figure, "No fluoroscopy studies with DAP and air kerma")


def threshold_lines(sites: Any) -> list[ReferenceLine]:
    """Follow-up thresholds (e.g. NCRP 168: 5 Gy reference air kerma) as lines: air kerma on x, DAP on y."""
    lines = []
    for level in queries.thresholds("RF", ("dose_rp", "dap"), sites):
        metric = METRICS[level.metric]
        value = level.value * metric.display_factor
        text = f"{level.name or level.issuer} {value:.4g} {metric.display_unit}"
        axis: Literal["x", "y"] = "x" if level.metric == "dose_rp" else "y"
        lines.append(ReferenceLine(f"threshold {level.metric}", text, value, "dash", "#d35400", axis))
    return lines


BUILDERS: dict[ChartKind, Callable[[ChartSource], go.Figure]] = {
    "drl": drl_figure,
    "distribution": distribution_figure,
    "trend": trend_figure,
    "weight": weight_figure,
    "workload": workload_figure,
    "fluoroscopy": fluoroscopy_figure,
}


def build_figure(source: ChartSource, kind: ChartKind | None = None) -> go.Figure:
    """The spec's chart (or `kind`, sharing the source's statistics between the charts of one page)."""
    return BUILDERS[kind or source.spec.kind](source)
