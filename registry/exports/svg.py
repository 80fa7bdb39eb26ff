"""The DRL comparison chart as a small SVG, drawn on the server for the PDF report.

WeasyPrint renders SVG natively, so the report needs no browser (plotly's static export would need kaleido
and Chromium on every worker). Bars are site (or device) medians, whiskers each median's 95 % interval;
dashed lines mark the registry DRL (red, its 95 % interval a pale band) and the published DRL (blue). The
report's own site is drawn darker; the other counting sites are pale anonymous "Peer" bars, in order of
their medians, so that nothing on the chart tells who they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 460, 200, 48, 46, 10, 8
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - BOTTOM - TOP
FILLS = {"own": "#3c5a78", "named": "#a9bcd0", "peer": "#dde2e8"}
Scale = Callable[[float], float]  # a value to its y coordinate


@dataclass(frozen=True)
class Bar:
    """One bar: a median, its 95 % interval (None: an open bound, no whisker) and how it is drawn."""

    label: str
    median: float
    low: float | None = None
    high: float | None = None
    kind: str = "named"  # "own" (the report's site), "named" (another site of the person's), "peer"


def drl_chart_svg(
    bars: Sequence[Bar],
    *,
    registry_drl: float | None,
    registry_interval: tuple[float | None, float | None] = (None, None),
    published_drl: float | None,
    unit: str,
) -> str:
    """An SVG document (a string) with one bar per group and the reference lines; values in `unit`."""
    lines = [(registry_drl, "#b3261e", "registry DRL"), (published_drl, "#1d5fa8", "published DRL")]
    tops = [b.high if b.high is not None else b.median for b in bars]
    bounds = [v for v in (*(value for value, _, _ in lines), *registry_interval) if v is not None]
    top = max([*tops, *bounds, 1e-9]) * 1.1

    def y(value: float) -> float:
        return TOP + PLOT_H * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="8">',
        *(_band(registry_interval, y) if registry_drl is not None else []),
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + PLOT_H}" stroke="#555"/>',
        f'<line x1="{LEFT}" y1="{TOP + PLOT_H}" x2="{WIDTH - RIGHT}" y2="{TOP + PLOT_H}" stroke="#555"/>',
        f'<text x="4" y="{TOP + 8}">{escape(unit)}</text>',
    ]
    for tick in (0.0, top / 2, top / 1.1):
        parts.append(f'<text x="{LEFT - 4}" y="{y(tick) + 3:.1f}" text-anchor="end">{tick:.3g}</text>')
    slot = PLOT_W / max(len(bars), 1)
    for index, bar in enumerate(bars):
        parts += _bar(bar, LEFT + slot * (index + 0.5), slot, y)
    for value, colour, label in lines:
        if value is not None:
            parts += [
                f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" y2="{y(value):.1f}" '
                f'stroke="{colour}" stroke-dasharray="4 3"/>',
                f'<text x="{WIDTH - RIGHT - 2}" y="{y(value) - 2:.1f}" text-anchor="end" '
                f'fill="{colour}">{label}</text>',
            ]
    parts.append("</svg>")
    return "".join(parts)


def _band(interval: tuple[float | None, float | None], y: Scale) -> list[str]:
    """The registry DRL's 95 % interval as a pale band; an open upper bound runs to the top of the plot."""
    low, high = interval
    if low is None:
        return []
    upper = y(high) if high is not None else TOP
    return [
        f'<rect x="{LEFT}" y="{upper:.1f}" width="{PLOT_W}" height="{y(low) - upper:.1f}" '
        'fill="#b3261e" fill-opacity="0.08"/>'
    ]


def _bar(bar: Bar, centre: float, slot: float, y: Scale) -> list[str]:
    """A bar, its whisker (the 95 % interval, only where both bounds exist) and its slanted label."""
    width, base = slot * 0.6, TOP + PLOT_H
    parts = [
        f'<rect x="{centre - width / 2:.1f}" y="{y(bar.median):.1f}" width="{width:.1f}" '
        f'height="{base - y(bar.median):.1f}" fill="{FILLS[bar.kind]}"/>',
        f'<text transform="translate({centre + 3:.1f},{base + 6}) rotate(-40)" '
        f'text-anchor="end">{escape(bar.label)}</text>',
    ]
    if bar.low is not None and bar.high is not None:
        parts.append(
            f'<line x1="{centre:.1f}" y1="{y(bar.low):.1f}" x2="{centre:.1f}" y2="{y(bar.high):.1f}" '
            'stroke="#222"/>'
        )
    return parts
