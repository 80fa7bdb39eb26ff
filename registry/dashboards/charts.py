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

from collections.abc import Callable
from dataclasses import replace
from typing import Any

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
    draw_line,
    finish_figure,
    month_axis,
    months_between,
    new_figure,
    show_empty,
    wrap_lines,
)
from registry.dashboards.chart_source import (
    ABOVE,
    BELOW,
    PALETTE,
    PEER,
    POINT_CAP,
    UNRATED,
    ChartKind,
    ChartSource,
    axis_title,
    chart_title,
    studies_link,
    why_empty,
)
from registry.dashboards.follow_up_charts import fluoroscopy_figure, workload_figure
from registry.statistics.drl import (
    DrlStatistics,
    GroupRow,
)
from registry.statistics.metrics import Metric


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


# The charts ---------------------------------------------------------------------------------------------


def _grouped_figure(source: ChartSource, what: str) -> go.Figure:
    """A figure with one category per group, in the statistics' order, then the anonymous peers: sites as
    columns; devices, whose names are long, as rows (the figure as tall as its rows need, names wrapped
    onto two lines) so that no name is cut and the plot keeps its width."""
    group_by, value_axis = source.spec.group_by, axis_title(source.spec.metric)
    title = chart_title(source, f"{what} per {group_by}")
    peers = len(source.stats.peers) if source.stats else 0
    order = list(source.labels.values()) + [f"Peer {number}" for number in range(1, peers + 1)]
    category = {"type": "category", "categoryorder": "array", "categoryarray": order}
    if not _horizontal(source):
        return new_figure(title, group_by.title(), value_axis).update_xaxes(**category)
    names = ["<br>".join(wrap_lines(label, NAME_CHARS)) for label in order]
    row_px = max(BAR_PX, LINE_PX * max(name.count("<br>") + 1 for name in names) + 8)
    value_axis = value_axis.replace(" (", "<br>(")  # under a plot as narrow as a phone leaves it
    figure = new_figure(title, value_axis, "", max(HEIGHT, 200 + row_px * len(order)))
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
    figure = new_figure(chart_title(source, "Monthly median"), "Month", axis_title(metric))
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
        chart_title(source, "Dose against patient weight"), "Patient weight (kg)", axis_title(metric)
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
