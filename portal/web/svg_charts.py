"""Server-rendered SVG bar charts: no chart JavaScript, no inline styles (the CSP forbids them).

Each chart is an image to assistive technology (role="img", named by its <title> and
described by its <desc>); the page puts a table with the same numbers beside it.

The chart is drawn at the page's own scale (no viewBox): text stays 14 px on a phone and on a
laptop, and bars are drawn in percent of the width the page gives. Each bar reads as one line
of words ("Attended: 77% of 35 sessions due"), wrapped when long, over a full-width bar, so no
label has to squeeze into a column beside it and none is clipped.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT_SIZE, LINE, BAR_HEIGHT, GAP = 14, 18, 12, 12
# A line of 14 px text must fit the narrowest chart (about 300 px on a 360 px phone).
WRAP_AT, INDENT = 36, 2  # the indent keeps a leading T or W's overhang inside the chart
COLORS = ("#1f6f5c", "#7a4b00", "#8a2d2d", "#3d5a80")  # each meets 3:1 against white


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # a share 0..1, or a count
    text: str  # what the value says in words, e.g. "82% of 40 sessions due" or "4"


def _lines(bar: Bar) -> list[str]:
    return textwrap.wrap(f"{bar.label}: {bar.text}", WRAP_AT, break_long_words=True) or [""]


def _row(bar: Bar, y: int, top: float, color: str) -> tuple[list[str], int]:
    """One bar's words and bar, starting at ``y``; returns the parts and the next row's y."""
    lines = _lines(bar)
    spans = "".join(f'<tspan x="{INDENT}" dy="{0 if n == 0 else LINE}">{escape(line)}</tspan>'
                    for n, line in enumerate(lines))
    baseline = y + FONT_SIZE
    bar_y = y + len(lines) * LINE + 2
    share = 0 if top <= 0 else round(100 * max(bar.value, 0) / top, 1)
    parts = [
        f'<text x="{INDENT}" y="{baseline}" font-size="{FONT_SIZE}" fill="#1f2a30">{spans}</text>',
        f'<rect x="0" y="{bar_y}" width="100%" height="{BAR_HEIGHT}" fill="#eef2f1"/>',
        f'<rect x="0" y="{bar_y}" width="{share}%" height="{BAR_HEIGHT}" fill="{color}"/>',
    ]
    return parts, bar_y + BAR_HEIGHT + GAP


def bar_chart(chart_id: str, title: str, bars: list[Bar], *, maximum: float | None = None,
              color: int = 0) -> Markup:
    """Horizontal bars, one per row, each under the words that say what it shows."""
    top = max([b.value for b in bars] + [maximum or 0, 1e-9])
    summary = "; ".join(f"{b.label}: {b.text}" for b in bars) or "No data yet"
    body, y = [], 0
    for bar in bars:
        parts, y = _row(bar, y, top, COLORS[color % len(COLORS)])
        body += parts
    if not bars:
        body.append(f'<text x="{INDENT}" y="{FONT_SIZE + 2}" font-size="{FONT_SIZE}" fill="#4c5a62">No data yet</text>')
        y = 30
    name = escape(chart_id)
    return Markup("".join([
        f'<svg id="{name}" class="chart" role="img" width="100%" height="{y}" '
        f'aria-labelledby="{name}-t {name}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{name}-t">{escape(title)}</title>',
        f'<desc id="{name}-d">{escape(summary)}</desc>',
        *body, "</svg>"]))
