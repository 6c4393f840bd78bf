"""Server-rendered SVG bar charts: no chart JavaScript, no inline styles (the CSP forbids them).

Each chart is an image to assistive technology (role="img", named by its <title> and
described by its <desc>); the page puts a table with the same numbers beside it.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

ROW_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 22, 8, 250, 260, 130
COLORS = ("#1f6f5c", "#7a4b00", "#8a2d2d", "#3d5a80")  # each meets 3:1 against white


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # a share 0..1, or a count
    text: str  # what the value says in words, e.g. "82%" or "4"


def bar_chart(chart_id: str, title: str, bars: list[Bar], *, maximum: float | None = None,
              color: int = 0) -> Markup:
    """Horizontal bars, one per row, labelled on the left and valued on the right."""
    top = max([b.value for b in bars] + [maximum or 0, 1e-9])
    height = len(bars) * (ROW_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    summary = "; ".join(f"{b.label}: {b.text}" for b in bars) or "No data yet"
    parts = [
        f'<svg id="{escape(chart_id)}" class="chart" role="img" viewBox="0 0 {width} {max(height, 30)}" '
        f'aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(summary)}</desc>',
    ]
    for n, bar in enumerate(bars):
        y = GAP + n * (ROW_HEIGHT + GAP)
        length = 0 if top <= 0 else round(BAR_WIDTH * max(bar.value, 0) / top, 1)
        middle = y + ROW_HEIGHT / 2 + 5
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" font-size="14" fill="#1f2a30">'
            f'{escape(bar.label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{ROW_HEIGHT}" fill="#eef2f1"/>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{ROW_HEIGHT}" '
            f'fill="{COLORS[color % len(COLORS)]}"/>',
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{middle}" font-size="14" fill="#1f2a30">'
            f'{escape(bar.text)}</text>',
        ]
    if not bars:
        parts.append('<text x="8" y="20" font-size="14" fill="#4c5a62">No data yet</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
