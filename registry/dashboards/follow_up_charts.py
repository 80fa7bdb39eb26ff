"""The charts that count rather than compare: the workload heatmap and the fluoroscopy follow-up scatter.

Built from the same ChartSource as the DRL charts (registry.dashboards.chart_source); the follow-up chart
draws the follow-up thresholds of the caller's sites (registry.dashboards.queries.thresholds) as
labelled lines.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import plotly.graph_objects as go
from django.urls import reverse

from registry.dashboards import queries
from registry.dashboards.chart_layout import (
    BAR_PX,
    Axis,
    ReferenceLine,
    finish_figure,
    months_between,
    new_figure,
    show_empty,
)
from registry.dashboards.chart_source import (
    PALETTE,
    POINT_CAP,
    WORKLOAD_EXAMS,
    ChartSource,
    axis_title,
    nothing_selected,
)
from registry.models import Study, visible_sites
from registry.models.studies import StudyQuerySet
from registry.statistics.filters import DoseFilters
from registry.statistics.metrics import METRICS
from registry.statistics.workload import workload_rows


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
        "Fluoroscopy: DAP against reference-point air kerma", axis_title(dose), axis_title(dap)
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
