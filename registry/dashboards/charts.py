"""The dose charts: a chart spec, the dashboard filters and the user in, a plotly Figure out.

One pipeline for every modality: the spec names a metric of the registry (registry.statistics.metrics) and
the builders ask it for the column, unit and display factor. The numbers come from the database only,
through registry.statistics.drl (the very function behind GET /api/v1/stats/drl/, called with the same
arguments, so a chart and the API show the same medians, quartiles, n and registry levels) and
registry.dashboards.queries. The figure is built server-side with plotly.graph_objects; the page ships
`figure.to_plotly_json()` in a json_script element, and static/js/charts.js draws it, so no inline script
is needed.

Every label has a place of its own, computed in registry.dashboards.chart_layout (the figure's frame, its
title, the empty state, reference lines and their labels), which these builders call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Any, Literal
from urllib.parse import urlencode

import plotly.graph_objects as go
from django.urls import reverse

from registry.dashboards import queries
from registry.dashboards.chart_layout import (
    BAR_PX,
    HEIGHT,
    LABEL_SIZE,
    LINE_PX,
    NAME_CHARS,
    Axis,
    ReferenceLine,
    draw_line,
    finish_figure,
    month_axis,
    months_between,
    new_figure,
    show_empty,
    wrap_lines,
)
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
WORKLOAD_EXAMS = 8  # exams a workload cell's hover names; the rest are summed as "other exams"
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

    @cached_property
    def labels(self) -> dict[tuple[str, int | None], str]:
        """The groups' names by (site, device), each once (group_labels)."""
        return group_labels(self.stats.groups) if self.stats else {}

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
    unit, lines = stats.metric.display_unit, []
    if (value := stats.registry.drl_display) is not None:
        detail = f"Registry DRL {value:.4g} {unit} ({_interval_text(stats)})"
        lines.append(
            ReferenceLine("registry DRL", f"Registry DRL {value:.4g}", value, "dash", ABOVE, "y", detail)
        )
    if (value := stats.registry.typical_display) is not None:
        detail = f"Typical value {value:.4g} {unit}"
        lines.append(ReferenceLine("typical", f"Typical {value:.4g}", value, "dot", "#555555", "y", detail))
    level = chosen_published(stats, published_id)
    if level is not None:
        marked = " (unverified)" if level.unverified else ""
        issuer = f"{level.issuer} {level.year}" if level.year else level.issuer
        label = f"{issuer} DRL {level.value_display:.4g}{marked}"
        detail = f"{level.source}: DRL {level.value_display:.4g} {unit}{marked}"
        lines.append(
            ReferenceLine("published DRL", label, level.value_display, "dashdot", "#27ae60", "y", detail)
        )
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


def _draw_registry_interval(figure: go.Figure, stats: DrlStatistics, axis: Axis) -> list[str]:
    """The registry DRL's 95 % interval as a band (or, upper bound open, a dotted lower line); or, while
    the registry values are withheld, the reason as a note under the title (returned)."""
    if stats.registry.reason is not None:
        return [f"No registry DRL: {stats.registry.reason}"]
    low, high = stats.registry.drl_interval_display.low, stats.registry.drl_interval_display.high
    name = "registry DRL 95 % CI"
    if low is not None and high is not None:
        band = {"name": name, "line_width": 0, "fillcolor": ABOVE, "opacity": 0.1}
        if axis == "y":
            figure.add_hrect(y0=low, y1=high, **band)
        else:
            figure.add_vrect(x0=low, x1=high, **band)
    elif low is not None:
        draw_line(figure, axis, low, name=name, line={"dash": "dot", "color": ABOVE, "width": 1})
    return []


def why_empty(source: ChartSource, needs: str) -> str:
    """Why an exam's chart has nothing to draw, read from the data (a query or three, only when empty):
    no studies at all under the filters, none mapped to the exam, or none with what the chart `needs`."""
    exam, studies = source.spec.exam, source.studies
    if exam is None:
        return f"No {source.spec.modality} studies are mapped to a standard exam"
    if source.patients.filter(standard_exam=exam).exists():
        return f"No {exam.name} studies with {needs} for these filters"
    if studies.filter(standard_exam=exam).exists():
        return f"No {exam.name} studies of patients {population_band(source.filters).label.lower()}"
    if studies.exists():
        return f"No studies mapped to this exam ({exam.name}) for these filters"
    return nothing_selected(source.filters)


def nothing_selected(filters: DoseFilters) -> str:
    """The selection held no study at all: say which part of it, the date range first."""
    narrowed = {name for name, value in vars(filters).items() if value is not None} - {"modality", "exam"}
    if narrowed & {"date_from", "date_to"}:
        rest = " for these filters" if narrowed - {"date_from", "date_to"} else ""
        return f"No studies in this date range{rest}"
    if narrowed:
        return "No studies for these filters"
    return f"No {filters.modality} studies yet" if filters.modality else "No studies yet"


# The charts ---------------------------------------------------------------------------------------------


def _axis_title(metric: Metric) -> str:  # the unit in every axis title
    return f"{metric.label} ({metric.display_unit})"


def _title(source: ChartSource, what: str) -> str:
    exam = source.spec.exam.name if source.spec.exam else "no exam"
    return f"{what}: {exam}, {source.spec.metric.label}"


def group_label(row: GroupRow, *, with_id: bool = False) -> str:
    """A bar's name: the site, or the device's name and its site (and its id, `with_id`)."""
    if row.device is None:
        return row.site
    return f"{row.device_name or row.device} ({row.site}{f', device {row.device}' if with_id else ''})"


def group_labels(rows: Sequence[GroupRow]) -> dict[tuple[str, int | None], str]:
    """Every group's name by (site, device); devices of a site that share a name (two scanners of one
    model, neither renamed) are told apart by their ids, so no two bars take the same place."""
    counts = Counter(group_label(row) for row in rows)
    return {(row.site, row.device): group_label(row, with_id=counts[group_label(row)] > 1) for row in rows}


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


def _grouped_figure(source: ChartSource, what: str) -> go.Figure:
    """A figure with one category per group, in the statistics' order, then the anonymous peers: sites as
    columns; devices, whose names are long, as rows (the figure as tall as its rows need, names wrapped
    onto two lines) so that no name is cut and the plot keeps its width."""
    group_by, axis_title = source.spec.group_by, _axis_title(source.spec.metric)
    title = _title(source, f"{what} per {group_by}")
    peers = len(source.stats.peers) if source.stats else 0
    order = list(source.labels.values()) + [f"Peer {number}" for number in range(1, peers + 1)]
    category = {"type": "category", "categoryorder": "array", "categoryarray": order}
    if not _horizontal(source):
        return new_figure(title, group_by.title(), axis_title).update_xaxes(**category)
    names = ["<br>".join(wrap_lines(label, NAME_CHARS)) for label in order]
    row_px = max(BAR_PX, LINE_PX * max(name.count("<br>") + 1 for name in names) + 8)
    axis_title = axis_title.replace(" (", "<br>(")  # under a plot as narrow as a phone leaves it
    figure = new_figure(title, axis_title, "", max(HEIGHT, 200 + row_px * len(order)))
    figure.update_yaxes(**category, autorange="reversed", tickmode="array", tickvals=order, ticktext=names)
    return figure


def _horizontal(source: ChartSource) -> bool:
    return source.spec.group_by == "device"


def drl_figure(source: ChartSource) -> go.Figure:
    """Each group's median with its IQR, coloured by whether it is above the registry DRL."""
    stats = source.stats
    figure = _grouped_figure(source, "Median")
    if stats is None or not stats.groups:
        return show_empty(figure, why_empty(source, f"a {source.spec.metric.label}"))
    names = {True: "Median above the registry DRL", False: "Median at or below", None: "Median (no DRL)"}
    for status, color in ((True, ABOVE), (False, BELOW), (None, UNRATED)):
        rows = [row for row in stats.groups if row.above_drl is status]
        if rows:
            figure.add_trace(_drl_bars(source, rows, names[status], color))
    if stats.peers:
        figure.add_trace(_peer_bars(stats, _horizontal(source)))
    figure.update_layout(barmode="overlay")
    value_axis: Axis = "x" if _horizontal(source) else "y"
    notes = _draw_registry_interval(figure, stats, value_axis)
    return finish_figure(figure, [replace(line, axis=value_axis) for line in source.lines], notes)


def _drl_bars(source: ChartSource, rows: list[GroupRow], name: str, color: str) -> go.Bar:
    """The caller's own groups, named; error bars are each median's 95 % interval (none where open)."""
    unit = source.spec.metric.display_unit
    minimum = source.stats.minimum_sample if source.stats else 0
    labels = [source.labels[row.site, row.device] for row in rows]
    medians = [row.display.median for row in rows]
    error = {
        "type": "data",
        "symmetric": False,
        "array": [_arm(row.interval_display.high, row.display.median) for row in rows],
        "arrayminus": [_arm(row.display.median, row.interval_display.low) for row in rows],
        # No caps: plotly draws a missing (open) interval as a zero-length bar, which a cap would show.
        "width": 0,
        "thickness": 2,
    }
    group, value = ("y", "x") if _horizontal(source) else ("x", "y")
    return go.Bar(
        name=name,
        orientation="h" if _horizontal(source) else "v",
        **{group: labels, value: medians, f"error_{value}": error},
        marker={"color": color, "opacity": [1.0 if row.counts_towards_drl else 0.45 for row in rows]},
        customdata=[
            [row.values.n, row.display.p25, row.display.p75, studies_link(source, row)] for row in rows
        ],
        hovertext=[_median_interval_text(row) for row in rows],
        hovertemplate=(
            f"%{{{group}}}<br>median %{{{value}:.4g}} {unit}, %{{hovertext}}<br>IQR "
            f"%{{customdata[1]:.4g}} to %{{customdata[2]:.4g}} {unit}<br>n = %{{customdata[0]}} "
            f"(counted from {minimum})"
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


def _peer_bars(stats: DrlStatistics, horizontal: bool) -> go.Bar:
    """The other counting groups, anonymous: "Peer 1..k" in order of their medians, which says nothing of who
    they are (never the facilities' order, which is by site code); no link, no n, no interval."""
    shown = sorted(peer.median_display for peer in stats.peers)
    names = [f"Peer {number}" for number in range(1, len(shown) + 1)]
    group, value = ("y", "x") if horizontal else ("x", "y")
    return go.Bar(
        name=f"Other {stats.group_by}s (anonymous)",
        orientation="h" if horizontal else "v",
        **{group: names, value: shown},
        marker={"color": PEER},
        hovertemplate=f"%{{{group}}}<br>median %{{{value}:.4g}} {stats.metric.display_unit}<extra></extra>",
    )


def distribution_figure(source: ChartSource) -> go.Figure:
    """A box per group from the quartiles computed in the database; whiskers reach the minimum and maximum."""
    stats = source.stats
    figure = _grouped_figure(source, "Distribution")
    if stats is None or not stats.groups:
        return show_empty(figure, why_empty(source, f"a {source.spec.metric.label}"))
    group = "y" if _horizontal(source) else "x"
    for row in stats.groups:
        shown = row.display
        figure.add_trace(
            go.Box(
                name=f"{source.labels[row.site, row.device]} (n={row.values.n})",
                orientation="h" if _horizontal(source) else "v",
                **{group: [source.labels[row.site, row.device]]},
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
    value_axis: Axis = "x" if _horizontal(source) else "y"
    notes = _draw_registry_interval(figure, stats, value_axis)
    return finish_figure(figure, [replace(line, axis=value_axis) for line in source.lines], notes)


def trend_figure(source: ChartSource) -> go.Figure:
    """Monthly medians per site (one GROUP BY site, month), with n; a month without studies is a gap."""
    metric = source.spec.metric
    figure = new_figure(_title(source, "Monthly median"), "Month", _axis_title(metric))
    studies = source.patients.filter(standard_exam=source.spec.exam)
    rows = queries.monthly_medians(studies, metric) if source.spec.exam is not None else []
    if not rows:
        return show_empty(figure, why_empty(source, f"a date and a {metric.label}"))
    sites = sorted({row["site_code"] for row in rows})
    for index, site in enumerate(sites):
        mine = [row for row in rows if row["site_code"] == site]
        figure.add_trace(_trend_line(site, mine, metric, index, alone=len(sites) == 1))
    months = sorted(row["month"] for row in rows)
    figure.update_xaxes(**month_axis(months_between(months[0], months[-1])))
    return finish_figure(figure, source.lines)


def _trend_line(
    site: str, rows: list[dict[str, Any]], metric: Metric, index: int, *, alone: bool
) -> go.Scatter:
    """One site's months from its first to its last, None where it has no studies (so the line breaks
    there instead of joining across); n in the hover, and written at each point when the site is alone."""
    by_month = {row["month"]: row for row in rows}
    months = months_between(min(by_month), max(by_month))
    counts = [by_month[month]["n"] if month in by_month else None for month in months]
    return go.Scatter(
        name=site,
        x=[month.isoformat() for month in months],
        y=[metric.to_display(by_month[month]["median"]) if month in by_month else None for month in months],
        customdata=counts,
        text=[f"n={n}" if n is not None else "" for n in counts] if alone else None,
        textposition="top center",
        textfont={"size": LABEL_SIZE, "color": PALETTE[index % len(PALETTE)]},
        mode="lines+markers+text" if alone else "lines+markers",
        connectgaps=False,
        line_color=PALETTE[index % len(PALETTE)],
        hovertemplate=f"{site} %{{x|%b %Y}}<br>median %{{y:.4g}} {metric.display_unit}"
        "<br>n = %{customdata}<extra></extra>",
    )


def weight_figure(source: ChartSource) -> go.Figure:
    """Dose against patient weight per site: a capped sample of points and each site's least-squares line."""
    metric = source.spec.metric
    figure = new_figure(
        _title(source, "Dose against patient weight"), "Patient weight (kg)", _axis_title(metric)
    )
    studies = source.patients.filter(standard_exam=source.spec.exam)
    fits = queries.weight_fits(studies, metric) if source.spec.exam is not None else []
    if not fits:
        return show_empty(figure, why_empty(source, f"a weight and a {metric.label}"))
    total = sum(fit.n for fit in fits)
    points = queries.weight_sample(studies, metric, total, POINT_CAP)
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
    notes = [f"{len(points)} of {total} points shown"] if total > len(points) else []
    return finish_figure(figure, source.lines, notes)


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
    """Studies per month (columns) and site (rows) as a heatmap, the count written in each cell and the
    busiest exams of the cell in its hover; every month from the first to the last is a column."""
    rows = workload_rows(visible_sites(source.user), source.filters)
    sites = sorted({row["site_code"] for row in rows})
    figure = new_figure(
        "Workload: studies per month and site, every exam", "Month", "Site", 200 + BAR_PX * max(len(sites), 4)
    )
    if not rows:
        return show_empty(figure, nothing_selected(source.filters))
    months = months_between(min(row["month"] for row in rows), max(row["month"] for row in rows))
    cells: dict[tuple[str, date], dict[str, int]] = {}
    for row in rows:
        cell = cells.setdefault((row["site_code"], row["month"]), {})
        cell[row["exam_name"]] = cell.get(row["exam_name"], 0) + row["n"]
    labels = [f"{month:%b %Y}" for month in months]
    figure.add_heatmap(
        x=labels,
        y=sites,
        z=[[sum(cells.get((site, month), {}).values()) for month in months] for site in sites],
        customdata=[[_exams_text(cells.get((site, month), {})) for month in months] for site in sites],
        texttemplate="%{z}",
        colorscale="Blues",
        zmin=0,
        # The counts are written in the cells, so no colour bar; and plotly.js 4 sets inline styles (which
        # a strict CSP refuses) to draw a colour bar, or a heatmap without gaps between its cells.
        showscale=False,
        xgap=2,
        ygap=2,
        hovertemplate="%{y}, %{x}: %{z} studies<br>%{customdata}<extra></extra>",
    )
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=labels, showgrid=False)
    figure.update_yaxes(type="category", autorange="reversed", showgrid=False)
    return figure


def _exams_text(exams: dict[str, int]) -> str:
    """A cell's exams for its hover, busiest first: the first WORKLOAD_EXAMS named, the rest summed."""
    ranked = sorted(exams.items(), key=lambda item: (-item[1], item[0]))
    lines = [f"{name}: {n}" for name, n in ranked[:WORKLOAD_EXAMS]]
    rest = sum(n for _, n in ranked[WORKLOAD_EXAMS:])
    return "<br>".join(lines + ([f"other exams: {rest}"] if rest else [])) or "no studies"


def fluoroscopy_figure(source: ChartSource) -> go.Figure:
    """RF studies: DAP against reference-point air kerma on log axes (a sample spans decades), with the
    loaded follow-up thresholds as labelled lines."""
    dap, dose = METRICS["dap"], METRICS["dose_rp"]
    figure = new_figure(
        "Fluoroscopy: DAP against reference-point air kerma", _axis_title(dose), _axis_title(dap)
    )
    studies = replace(source.filters, exam=None, modality="RF").apply(Study.objects.for_user(source.user))
    total, points = queries.fluoroscopy_points(studies, POINT_CAP)
    drawn = [point for point in points if point["dap"] > 0 and point["dose_rp"] > 0]  # a log axis has no 0
    if not drawn:
        return show_empty(figure, _no_fluoroscopy(studies, total, source.filters))
    for index, site in enumerate(sorted({point["site_code"] for point in drawn})):
        mine = [point for point in drawn if point["site_code"] == site]
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
    # A label per decade only: plotly's 2 and 5 between decades run into each other on a phone.
    log = {"type": "log", "dtick": 1, "minor": {"dtick": "D1", "showgrid": True}}
    figure.update_xaxes(**log)
    figure.update_yaxes(**log)
    notes = [f"{len(drawn)} of {total} studies shown"] if total > len(drawn) else []
    return finish_figure(figure, threshold_lines(visible_sites(source.user)), notes)


def _no_fluoroscopy(studies: StudyQuerySet, total: int, filters: DoseFilters) -> str:
    """Why there is no point: none above zero on both axes, none with both values, or no RF study at all."""
    if total:
        return f"{total} fluoroscopy studies, none with both DAP and air kerma above zero"
    if studies.exists():
        return "No fluoroscopy study of a patient states both DAP and reference-point air kerma"
    return nothing_selected(replace(filters, modality="RF"))


def threshold_lines(sites: Any) -> list[ReferenceLine]:
    """Follow-up thresholds (e.g. NCRP 168: 5 Gy reference air kerma) as lines: air kerma on x, DAP on y."""
    lines = []
    for level in queries.thresholds("RF", ("dose_rp", "dap"), sites):
        metric = METRICS[level.metric]
        value = level.value * metric.display_factor
        name = level.name or level.issuer
        detail = (
            f"{level.issuer} {level.document} {level.year or ''}: {name} {value:.4g} {metric.display_unit}"
        )
        axis: Axis = "x" if level.metric == "dose_rp" else "y"
        text = f"{name} {value:.4g} {metric.display_unit}"
        lines.append(ReferenceLine(f"threshold {level.metric}", text, value, "dash", "#d35400", axis, detail))
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
