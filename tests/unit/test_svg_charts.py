"""SVG bar charts: drawn at the page's scale, long labels wrapped into lines, text escaped."""
import re

from portal.web.svg_charts import FONT_SIZE, WRAP_AT, Bar, bar_chart


def test_a_long_label_wraps_into_lines_that_fit_a_phone_and_nothing_is_cut():
    label = "Feeling anxious or unsure about the session"
    svg = str(bar_chart("c", "What got in the way", [Bar(label, 1, "1 session")]))
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert len(lines) > 1 and all(len(line) <= WRAP_AT for line in lines)
    assert " ".join(lines) == f"{label}: 1 session"


def test_text_is_not_scaled_down_with_the_chart():
    svg = str(bar_chart("c", "t", [Bar("Attended", 0.5, "50% of 2 sessions due")], maximum=1))
    assert "viewBox" not in svg and 'width="100%"' in svg
    assert f'font-size="{FONT_SIZE}"' in svg and FONT_SIZE >= 12
    assert 'width="50.0%"' in svg  # the bar is half the width


def test_labels_are_escaped_and_an_empty_chart_says_so():
    svg = str(bar_chart("c", "t", [Bar("<b>", 1, "1")]))
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "No data yet" in str(bar_chart("c", "t", []))
