"""The DRL comparison chart as a small SVG, drawn on the server for the PDF report.

WeasyPrint renders SVG natively, so the report needs no browser (plotly's static export would need kaleido
and Chromium on every worker). Bars are site medians, whiskers their interquartile range; dashed lines mark
the registry DRL (red) and the published DRL (blue). The report's own site is drawn darker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 460, 180, 48, 28, 10


@dataclass(frozen=True)
class Bar:
    label: str
    median: float
    p25: float
    p75: float
    highlight: bool = False


def drl_chart_svg(
    bars: Sequence[Bar], *, registry_drl: float | None, published_drl: float | None, unit: str
) -> str:
    """An SVG document (a string) with one bar per group and the reference lines; values in `unit`."""
    lines = [(registry_drl, "#b3261e", "registry DRL"), (published_drl, "#1d5fa8", "published DRL")]
    top = max([b.p75 for b in bars] + [v for v, _, _ in lines if v is not None] + [1e-9]) * 1.1
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    slot = plot_w / max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="9">',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#555"/>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 8}" y2="{TOP + plot_h}" stroke="#555"/>',
        f'<text x="4" y="{TOP + 8}">{escape(unit)}</text>',
    ]
    for tick in (0.0, top / 2, top / 1.1):
        parts.append(f'<text x="{LEFT - 4}" y="{y(tick) + 3:.1f}" text-anchor="end">{tick:.3g}</text>')
    for index, bar in enumerate(bars):
        x = LEFT + slot * index + slot * 0.2
        width, centre = slot * 0.6, LEFT + slot * (index + 0.5)
        fill = "#3c5a78" if bar.highlight else "#a9bcd0"
        parts += [
            f'<rect x="{x:.1f}" y="{y(bar.median):.1f}" width="{width:.1f}" '
            f'height="{TOP + plot_h - y(bar.median):.1f}" fill="{fill}"/>',
            f'<line x1="{centre:.1f}" y1="{y(bar.p25):.1f}" x2="{centre:.1f}" '
            f'y2="{y(bar.p75):.1f}" stroke="#222"/>',
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 12}" '
            f'text-anchor="middle">{escape(bar.label)}</text>',
        ]
    for value, colour, label in lines:
        if value is not None:
            parts += [
                f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - 8}" y2="{y(value):.1f}" '
                f'stroke="{colour}" stroke-dasharray="4 3"/>',
                f'<text x="{WIDTH - 10}" y="{y(value) - 2:.1f}" text-anchor="end" '
                f'fill="{colour}">{label}</text>',
            ]
    parts.append("</svg>")
    return "".join(parts)
