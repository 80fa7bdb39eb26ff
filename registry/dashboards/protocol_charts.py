"""The protocol charts: dose per acquisition protocol, a histogram, monthly medians per protocol and dose
against patient size, as plotly figures built on the server from registry.statistics.protocols.

Like every chart (registry.dashboards.charts) a figure is data: the page ships `to_plotly_json()` with
json_script and static/js/charts.js draws it. Each figure states its population in its subtitle: how many
events (or studies), studies and sites it counts, the patients, and what it leaves out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

import plotly.graph_objects as go
from django.urls import reverse
from plotly.subplots import make_subplots

from registry.dashboards.chart_layout import month_axis, months_between
from registry.dashboards.chart_source import PALETTE, POINT_CAP
from registry.dashboards.queries import sampled
from registry.models.studies import StudyQuerySet
from registry.statistics.metrics import Metric
from registry.statistics.protocols import (
    PROTOCOL_METRICS,
    Histogram,
    Population,
    ProtocolTable,
    Size,
    busiest_protocols,
    dated_rows,
    histogram,
    monthly_protocol_medians,
    population,
    protocol_rows,
    protocol_table,
    sized_rows,
)
from registry.templatetags.dose import dicom_text

ProtocolChartKind = Literal["protocols", "histogram", "timeline", "size"]
PROTOCOLS_DRAWN = 20  # protocols in the per-protocol chart (the table lists every one)
TIMELINE_PROTOCOLS = 6  # the busiest protocols drawn against time, unless one is chosen
NO_PROTOCOL = "(no protocol stated)"
HEIGHT = 440  # the least height of a chart's box (static/css/kerma.css: div.chart)
SAMPLE_NOTE = {"showarrow": False, "xref": "paper", "yref": "paper", "x": 1.0, "y": 1.0, "xanchor": "right"}


@dataclass(frozen=True)
class ProtocolSource:
    """One request's selection: the caller's studies (scoped, filtered, in the population) and the choices."""

    studies: StudyQuerySet
    modality: str
    metric: Metric  # of the histogram and the size chart
    protocol: str | None
    size: Size
    subject: str  # what the selection is, in words: "protocol Head routine, exam CT head"
    patients: str  # the population in words


def protocol_label(protocol: str) -> str:
    """A protocol as people write it (DICOM carets as spaces); the events without one say so."""
    return dicom_text(protocol) or NO_PROTOCOL


def counted(numbers: Population, per_event: bool = True) -> str:
    """The population in words: "12 events in 6 studies at 2 sites" (a per-exam metric counts studies)."""
    sites = f"{numbers.sites} site{'' if numbers.sites == 1 else 's'}"
    studies = f"{numbers.studies} stud{'y' if numbers.studies == 1 else 'ies'}"
    if not per_event:
        return f"{studies} at {sites}"
    return f"{numbers.values} event{'' if numbers.values == 1 else 's'} in {studies} at {sites}"


def axis_title(metric: Metric) -> str:
    return f"{metric.label} ({metric.display_unit})"


def _figure(title: str, subtitle: str, x_title: str = "", y_title: str = "") -> go.Figure:
    figure = go.Figure()
    _layout(figure, title, subtitle)
    figure.update_layout(xaxis_title=x_title, yaxis_title=y_title)
    return figure


def _layout(figure: go.Figure, title: str, subtitle: str, height: int = HEIGHT) -> None:
    figure.update_layout(
        template="plotly_white",
        title={"text": title, "subtitle": {"text": subtitle}, "x": 0.0, "xanchor": "left"},
        margin={"l": 70, "r": 30, "t": 90, "b": 60},
        height=height,
        legend={"orientation": "h", "y": -0.2},
    )


def _empty(figure: go.Figure, message: str) -> go.Figure:
    """No axes, only the reason there is nothing to draw."""
    middle = {"xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}
    figure.add_annotation(text=message, name="empty", showarrow=False, **middle)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure.update_layout(showlegend=False)


def protocols_figure(table: ProtocolTable, patients: str) -> go.Figure:
    """A box per protocol and per-event metric from the quartiles computed in the database (whiskers: the
    minimum and maximum), busiest protocol on top, one panel per metric sharing the protocol axis."""
    spec, rows = table.modality, table.rows[:PROTOCOLS_DRAWN]
    figure = make_subplots(rows=1, cols=len(spec.metrics), shared_yaxes=True, horizontal_spacing=0.04)
    shown = f"; the {len(rows)} busiest of {len(table.rows)} protocols" if len(table.rows) > len(rows) else ""
    subtitle = f"Counted: {counted(table.population)}{shown}; patients {patients}"
    height = max(HEIGHT, 180 + 28 * len(rows))
    _layout(figure, f"{spec.modality} dose per acquisition protocol", subtitle, height)
    if not rows:
        return _empty(figure, f"No counted {spec.modality} events for these filters")
    labels = [f"{protocol_label(row.protocol)} (n={row.events})" for row in rows]
    for column, metric in enumerate(spec.metrics, start=1):
        boxes = [(label, row.summaries[metric.key]) for label, row in zip(labels, rows, strict=True)]
        drawn = [(label, summary) for label, summary in boxes if summary is not None]
        figure.add_trace(
            go.Box(
                name=metric.label,
                orientation="h",
                y=[label for label, _ in drawn],
                q1=[summary.p25 for _, summary in drawn],
                median=[summary.median for _, summary in drawn],
                q3=[summary.p75 for _, summary in drawn],
                mean=[summary.mean for _, summary in drawn],
                lowerfence=[summary.minimum for _, summary in drawn],
                upperfence=[summary.maximum for _, summary in drawn],
                boxpoints=False,
                marker_color=PALETTE[(column - 1) % len(PALETTE)],
            ),
            row=1,
            col=column,
        )
        figure.update_xaxes(title_text=axis_title(metric), row=1, col=column)
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=labels, autorange="reversed")
    figure.update_layout(showlegend=False)
    return figure


def histogram_figure(source: ProtocolSource) -> go.Figure:
    """The metric's values of the protocol (or exam) in bins of a round width, with the edges stated."""
    metric = source.metric
    rows, to_study = protocol_rows(source.studies, metric, source.modality, source.protocol)
    counts = histogram(rows, to_study, metric)
    what = "Events" if to_study else "Studies"
    figure = _figure(
        f"Histogram of {metric.label}: {source.subject}",
        _histogram_subtitle(counts, source, bool(to_study)),
        axis_title(metric),
        what,
    )
    if not counts.counts:
        return _empty(figure, f"No {what.lower()} with a value for these filters")
    bins = list(pairwise(counts.edges))
    figure.add_bar(
        name=metric.label,
        x=[(low + high) / 2 for low, high in bins],
        y=counts.counts,
        width=[counts.width] * len(counts.counts),
        customdata=[[low, high] for low, high in bins],
        marker_color=PALETTE[0],
        meta={"edges": counts.edges, "start": counts.start, "width": counts.width},
        hovertemplate=f"%{{customdata[0]:.4g}} to < %{{customdata[1]:.4g}} {metric.display_unit}: "
        f"%{{y}} {what.lower()}<extra></extra>",
    )
    figure.update_layout(bargap=0.02)
    return figure


def _histogram_subtitle(counts: Histogram, source: ProtocolSource, per_event: bool) -> str:
    unit = counts.metric.display_unit
    bins = f"bins of {counts.width:g} {unit} from {counts.start:g} {unit}, each from its lower edge up to"
    return f"{counted(counts.population, per_event)}; patients {source.patients}; {bins} the next"


def timeline_figure(source: ProtocolSource) -> go.Figure:
    """Monthly medians of each per-event metric per protocol (the chosen one, or the busiest), one panel per
    metric; a month without values is a gap in the line, never joined across, and n is in the hover."""
    spec = PROTOCOL_METRICS[source.modality]
    protocols = (
        [source.protocol]
        if source.protocol is not None
        else busiest_protocols(source.studies, source.modality, TIMELINE_PROTOCOLS)
    )
    first_rows, first_path = dated_rows(source.studies, spec.metrics[0], source.modality, protocols)
    numbers = population(first_rows, first_path)
    subtitle = f"Counted: {counted(numbers)} with a study date; patients {source.patients}"
    figure = make_subplots(
        rows=len(spec.metrics),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        subplot_titles=[axis_title(metric) for metric in spec.metrics],
    )
    _layout(figure, f"Monthly median per protocol: {source.subject}", subtitle, 220 + 260 * len(spec.metrics))
    monthly = [
        monthly_protocol_medians(*dated_rows(source.studies, metric, source.modality, protocols))
        for metric in spec.metrics
    ]
    for row, (metric, rows) in enumerate(zip(spec.metrics, monthly, strict=True), start=1):
        for index, protocol in enumerate(protocols):
            mine = [entry for entry in rows if entry["protocol"] == protocol]
            if mine:
                line = _monthly_line(protocol, metric, mine, index, len(protocols) == 1)
                figure.add_trace(line.update(showlegend=row == 1), row=row, col=1)
        figure.update_yaxes(title_text=metric.display_unit, row=row, col=1)
    months = [entry["month"] for rows in monthly for entry in rows]
    if not months:
        return _empty(figure, "No counted events with a study date for these filters")
    return figure.update_xaxes(**month_axis(months_between(min(months), max(months))))


def _monthly_line(
    protocol: str, metric: Metric, rows: list[dict[str, Any]], index: int, alone: bool
) -> go.Scatter:
    """Every month from the first to the last, None where there is no value: plotly breaks the line there.
    n is in the hover, and written at each point when the protocol is drawn alone."""
    by_month = {row["month"]: row for row in rows}
    months = months_between(min(by_month), max(by_month))
    counts = [by_month[month]["n"] if month in by_month else None for month in months]
    label = protocol_label(protocol)
    return go.Scatter(
        name=label,
        legendgroup=label,
        x=[month.isoformat() for month in months],
        y=[metric.to_display(by_month[month]["median"]) if month in by_month else None for month in months],
        customdata=counts,
        text=[f"n={n}" if n is not None else "" for n in counts] if alone else None,
        textposition="top center",
        mode="lines+markers+text" if alone else "lines+markers",
        connectgaps=False,
        line_color=PALETTE[index % len(PALETTE)],
        hovertemplate=f"{label} %{{x|%b %Y}}<br>median %{{y:.4g}} {metric.display_unit}"
        "<br>n = %{customdata}<extra></extra>",
    )


def size_figure(source: ProtocolSource) -> go.Figure:
    """The metric against the patient's size, by site (a capped sample of points, each opening its study);
    the studies that state no size are counted and left out."""
    metric, size = source.metric, source.size
    rows, to_study = protocol_rows(source.studies, metric, source.modality, source.protocol)
    sized = sized_rows(rows, to_study, size)
    left_out = f"{sized.studies_without} stud{'y' if sized.studies_without == 1 else 'ies'}"
    if to_study:
        left_out += f" ({sized.values_without} event{'' if sized.values_without == 1 else 's'})"
    subtitle = (
        f"Counted: {counted(sized.sized, bool(to_study))} with {size.stated}; {left_out} without it "
        f"left out; patients {source.patients}"
    )
    figure = _figure(
        f"{metric.label} against {size.label.lower()}: {source.subject}",
        subtitle,
        f"{size.label} ({size.unit})",
        axis_title(metric),
    )
    sample = sampled(sized.rows, sized.sized.values, POINT_CAP)
    points = list(sample.values("site_code", "study_pk", "size", "metric_value"))
    for index, site in enumerate(sorted({point["site_code"] for point in points})):
        mine = [point for point in points if point["site_code"] == site]
        figure.add_scatter(
            name=site,
            x=[point["size"] for point in mine],
            y=[metric.to_display(point["metric_value"]) for point in mine],
            customdata=[reverse("study", args=[point["study_pk"]]) for point in mine],
            mode="markers",
            marker={"color": PALETTE[index % len(PALETTE)], "size": 6, "opacity": 0.6},
            hovertemplate=f"{site}: %{{x:.3g}} {size.unit}, %{{y:.4g}} {metric.display_unit}"
            "<br>click: the study<extra></extra>",
        )
    if not points:
        _empty(figure, f"No values with {size.stated} for these filters")
    elif sized.sized.values > len(points):
        shown = f"{len(points)} of {sized.sized.values} points shown"
        figure.add_annotation(text=shown, name="sample", **SAMPLE_NOTE)
    return figure


def _protocols_chart(source: ProtocolSource) -> go.Figure:
    return protocols_figure(protocol_table(source.studies, source.modality), source.patients)


BUILDERS: dict[ProtocolChartKind, Callable[[ProtocolSource], go.Figure]] = {
    "protocols": _protocols_chart,
    "histogram": histogram_figure,
    "timeline": timeline_figure,
    "size": size_figure,
}
