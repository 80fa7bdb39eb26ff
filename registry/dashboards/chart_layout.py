"""Where a chart's labels go: the figure's frame, its wrapped title, the empty state, and reference lines.

Every label has a place of its own, computed here rather than left to plotly, which neither moves
annotations apart nor widens a margin for them: each chart has a fixed height, the axes carrying
reference lines get a fixed range, and from those each line's label is placed in the right margin (or,
for a vertical line, in a row of its own above the plot) and the margin is made wide enough to hold it.
Nothing here reads the database; `registry.dashboards.charts` builds the traces and calls these.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

import plotly.graph_objects as go

Axis = Literal["x", "y"]


# The geometry labels are placed in (px). A label is 11 px; CHAR_PX is a generous average width of one of
# its characters (plotly's "Open Sans", or a wider fallback font), for the right margin's width.
HEIGHT = 440
MARGIN = {"l": 70, "r": 30, "b": 96}
TITLE_SIZE, TITLE_LINE_PX, TITLE_CHARS = 15, 19, 44  # 44 characters of 15 px fit a 390 px phone
LABEL_SIZE, LINE_PX, CHAR_PX, GAP_PX = 11, 16, 7.0, 4
LABEL_CHARS, NOTE_CHARS = 20, 52  # wrap a line's label, a note under the title, after so many characters
# The plot's height is the figure's less its margins, less what plotly adds to the bottom one for a legend
# of several rows or turned tick labels: labels are spaced for a plot this much shorter than that.
SHORTER = 0.8
BAR_PX = 28  # per row of a horizontal bar chart or heatmap
NAME_CHARS = 24  # a device's name wraps after so many characters


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal (or, for `axis` "x", vertical) line at a level in the metric's display unit.

    `label` is written beside the line, `detail` (the whole statement, with its unit) is its hover text.
    """

    name: str
    label: str
    value: float
    dash: str
    color: str
    axis: Axis = "y"
    detail: str = ""


def new_figure(title: str, x_title: str, y_title: str, height: int = HEIGHT) -> go.Figure:
    """An empty figure of `height` px, its title wrapped to fit a phone and the top margin made for it."""
    lines = title_lines(title)
    figure = go.Figure()
    figure.update_layout(
        template="plotly_white",
        title={
            "text": "<br>".join(lines),
            "font": {"size": TITLE_SIZE},
            **{"x": 0.0, "xanchor": "left", "yref": "container", "y": 1.0, "yanchor": "top"},
            # plotly.js 4 sets a title of several lines 11 px higher than one line: as much more padding.
            "pad": {"t": 7 if len(lines) == 1 else 18},
        },
        xaxis={"title": {"text": x_title}, "automargin": True},
        yaxis={"title": {"text": y_title}, "automargin": True},
        margin={**MARGIN, "t": 17 + TITLE_LINE_PX * len(lines)},
        height=height,
        legend={"orientation": "h", "x": 0.0, "y": -0.16, "yanchor": "top"},
    )
    return figure


def title_lines(title: str) -> list[str]:
    """A title that fits a phone: "What: exam, metric" broken after the colon, then between words."""
    if len(title) <= TITLE_CHARS:
        return [title]
    what, _, rest = title.partition(": ")
    return [f"{what}:", *wrap_lines(rest, TITLE_CHARS)] if rest else wrap_lines(title, TITLE_CHARS)


def show_empty(figure: go.Figure, message: str) -> go.Figure:
    """No axes, only the reason there is nothing to draw."""
    figure.add_annotation(
        **{"text": "<br>".join(wrap_lines(message, TITLE_CHARS)), "name": "empty", "showarrow": False},
        **{"xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "font": {"size": 14}},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure.update_layout(showlegend=False)


# Reference lines and their labels ---------------------------------------------------------------------


def finish_figure(figure: go.Figure, lines: Sequence[ReferenceLine], notes: Sequence[str] = ()) -> go.Figure:
    """Draw the lines, fix the ranges of the axes they are on, and give every label and note its place:
    notes under the title, vertical lines' labels in rows above the plot, horizontal lines' labels in the
    right margin, moved apart where lines lie close together. Each label is anchored to its line or to the
    plot's top and moved in px (`xshift`/`yshift`), so it stays put whatever the figure's width."""
    for line in lines:
        style = {"dash": line.dash, "color": line.color}
        draw_line(figure, line.axis, line.value, name=line.name, line=style)
    ranges = {axis: fix_range(figure, axis) for axis in sorted({line.axis for line in lines})}
    add_notes(figure, notes)
    label_top(figure, sorted((line for line in lines if line.axis == "x"), key=lambda line: line.value))
    horizontal = [line for line in lines if line.axis == "y"]
    if horizontal:
        label_right(figure, horizontal, ranges["y"])
    return figure


def draw_line(figure: go.Figure, axis: Axis, value: float, **style: Any) -> None:
    """A line across the plot at `value` of the axis: horizontal for "y", vertical for "x"."""
    style["line"] = {"width": 2, **style.get("line", {})}
    if axis == "y":
        figure.add_hline(y=value, **style)
    else:
        figure.add_vline(x=value, **style)


def add_notes(figure: go.Figure, notes: Sequence[str]) -> None:
    """Notes (why there is no registry DRL, how many points are shown) as the title's subtitle."""
    lines = [row for note in notes for row in wrap_lines(note, NOTE_CHARS)]
    if lines:
        figure.layout.title.subtitle = {"text": "<br>".join(lines), "font": {"size": LABEL_SIZE + 1}}
        figure.layout.margin.t += 8 + LINE_PX * len(lines)


def label_top(figure: go.Figure, lines: list[ReferenceLine]) -> None:
    """Vertical lines' labels in rows of their own above the plot, the lowest value nearest the plot, each
    running from its line away from the nearer edge of the plot; the top margin grown to hold them."""
    log, span = is_log(figure, "x"), figure.layout.xaxis.range
    above = float(GAP_PX)
    for line in lines:
        text = wrap_lines(line.label, LABEL_CHARS)
        left = fraction(line.value, span, log) < 0.5
        anchor = {"xanchor": "left", "xshift": 3} if left else {"xanchor": "right", "xshift": -3}
        at = math.log10(line.value) if log else line.value
        place = {"xref": "x", "x": at, "yref": "paper", "y": 1.0, "yanchor": "bottom", "yshift": above}
        figure.add_annotation(**line_label(line, text), **anchor, **place)
        above += len(text) * LINE_PX + GAP_PX
    figure.layout.margin.t += above - GAP_PX if lines else 0


def wrap_lines(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters, broken between words (a longer word keeps its own line)."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def is_log(figure: go.Figure, axis: Axis) -> bool:
    return bool(figure.layout[f"{axis}axis"].type == "log")


def line_label(line: ReferenceLine, text: list[str]) -> dict[str, Any]:
    return {
        "text": "<br>".join(text),
        "hovertext": line.detail or line.label,
        "name": f"label {line.name}",
        "showarrow": False,
        "align": "left",
        "font": {"color": line.color, "size": LABEL_SIZE},
    }


def plot_height(figure: go.Figure) -> float:
    """The height (px) labels are spaced for: the plot's, less what plotly may add to the margins."""
    margin = figure.layout.margin
    return float(figure.layout.height - margin.t - margin.b) * SHORTER


def label_right(figure: go.Figure, lines: list[ReferenceLine], span: tuple[float, float]) -> None:
    """Horizontal lines' labels in the right margin, each at its line's height unless another is in the
    way; the margin made as wide as the widest label."""
    log, plot_px = is_log(figure, "y"), plot_height(figure)
    texts = [wrap_lines(line.label, LABEL_CHARS) for line in lines]
    wanted = [plot_px * fraction(line.value, span, log) for line in lines]
    centres = spread(wanted, [len(text) * LINE_PX for text in texts], 0.0, plot_px)
    for line, text, want, centre in zip(lines, texts, wanted, centres, strict=True):
        at = math.log10(line.value) if log else line.value
        place = {"xref": "paper", "x": 1.0, "xanchor": "left", "xshift": 4, "yref": "y", "y": at}
        figure.add_annotation(**line_label(line, text), **place, yanchor="middle", yshift=centre - want)
    widest = max(len(row) for text in texts for row in text)
    figure.layout.margin.r = max(figure.layout.margin.r, math.ceil(widest * CHAR_PX) + 12)


def spread(wanted: Sequence[float], sizes: Sequence[float], low: float, high: float) -> list[float]:
    """Centres for labels of `sizes` wanted at `wanted` (px along one axis), none overlapping, within
    [low, high] where there is room: one sweep up pushes each clear of the one below, one sweep down
    pulls back those pushed past `high`."""
    order = sorted(range(len(wanted)), key=lambda index: wanted[index])
    centres = list(wanted)
    edge = low
    for index in order:
        centres[index] = max(wanted[index], edge + sizes[index] / 2)
        edge = centres[index] + sizes[index] / 2 + GAP_PX
    edge = high
    for index in reversed(order):
        centres[index] = min(centres[index], edge - sizes[index] / 2)
        edge = centres[index] - sizes[index] / 2 - GAP_PX
    return centres


def fraction(value: float, span: tuple[float, float], log: bool) -> float:
    at = math.log10(value) if log and value > 0 else value
    return (at - span[0]) / (span[1] - span[0])


def fix_range(figure: go.Figure, axis: Axis) -> tuple[float, float]:
    """Set the axis's range to hold every value drawn on it (traces, error bars, box fences, shapes), from
    zero on a linear axis; a log axis's range is in decades, as plotly takes it."""
    log = is_log(figure, axis)
    values = [value for value in axis_values(figure, axis) if value > 0 or not log]
    if log:
        low, high = (math.log10(min(values)), math.log10(max(values))) if values else (0.0, 1.0)
        pad = max(0.15, (high - low) * 0.06)
        span = (low - pad, high + pad)
    else:
        low, high = min([0.0, *values]), max([0.0, *values])
        span = (low, high + (high - low) * 0.08 or 1.0)
    figure.layout[f"{axis}axis"].range = span
    return span


def axis_values(figure: go.Figure, axis: Axis) -> list[float]:
    values: list[Any] = []
    for trace in figure.data:
        values += trace_values(trace, axis)
    for shape in figure.layout.shapes:
        if shape[f"{axis}ref"] == axis:
            values += [shape[f"{axis}0"], shape[f"{axis}1"]]
    return [float(value) for value in values if is_number(value)]


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def trace_values(trace: Any, axis: Axis) -> list[Any]:
    """A trace's values on one axis: points, bars with their error bars' ends, a box's fences."""
    values = list(trace[axis] or ()) if axis in trace else []
    horizontal = trace["orientation"] == "h" if "orientation" in trace else False
    if trace.type == "box" and (axis == "x") == horizontal:
        values += [*(trace.lowerfence or ()), *(trace.upperfence or ())]
    error = getattr(trace, f"error_{axis}", None)
    if error is not None and error.array is not None:
        values += [
            value + arm
            for value, arm in zip(values, error.array, strict=False)
            if is_number(value) and is_number(arm)
        ]
    return values


def months_between(first: date, last: date) -> list[date]:
    """The first days of every month from `first`'s to `last`'s, both included."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def month_axis(months: Sequence[date]) -> dict[str, Any]:
    """A date axis of whole months: a tick every 1, 3, 6 or 12 months (at most 12 ticks), half a month to
    spare either side, so a single month still reads as its name."""
    step = next(
        (step for step in (1, 3, 6, 12) if len(months) / step <= 12), 12 * math.ceil(len(months) / 144)
    )
    start, end = months[0] - timedelta(days=15), months[-1] + timedelta(days=15)
    return {
        "type": "date",
        "tickformat": "%b %Y",
        "dtick": f"M{step}",
        "range": [start.isoformat(), end.isoformat()],
    }
