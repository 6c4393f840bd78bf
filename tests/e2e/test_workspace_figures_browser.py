"""The figures page on a phone (360 px) and a laptop: tables scroll inside their card, chart text
renders at 12 px or more, no chart label is clipped, and every rate says what it counts."""
import re

import pytest

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.test_workspace_browser import LAPTOP, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}

CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {chart: svg.id, text: t.textContent,
            size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
            inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5
                    && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5};
  });
})"""

TABLES = """() => [...document.querySelectorAll('.table-wrap')].map(w => {
  const card = w.closest('.card').getBoundingClientRect(), r = w.getBoundingClientRect();
  return {within: r.left >= card.left && r.right <= card.right,
          scrolls: w.scrollWidth > w.clientWidth, overflow: getComputedStyle(w).overflowX};
})"""


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "360"])
def test_the_figures_page_reads_at_laptop_and_phone_sizes(live_stack, browser, viewport):
    container, url = live_stack
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    try:
        sign_in(page, url)
        page.goto(f"{url}/t/stats")
        texts = page.evaluate(CHART_TEXT)
        assert len(texts) >= 10
        small = [(t["text"], round(t["size"], 1)) for t in texts if t["size"] < 12]
        assert small == [], f"chart text under 12 px: {small}"
        clipped = [t["text"] for t in texts if not t["inside"]]
        assert clipped == [], f"chart text outside its chart: {clipped}"
        assert any(re.search(r"^Feeling anxious", t["text"]) for t in texts)  # the whole label
        tables = page.evaluate(TABLES)
        assert tables and all(t["within"] and t["overflow"] == "auto" for t in tables), tables
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        if viewport is PHONE:
            assert any(t["scrolls"] for t in tables)  # the wide rates table scrolls in its card
        described = page.locator("#chart-rates desc").text_content()  # the chart's words, whole
        assert re.search(r"Confirmed from a reminder: \d+% of \d+ sessions that have happened", described)
        assert re.search(r"Attended: \d+% of \d+ sessions due", described)
        assert re.search(r"\d+% \(\d+ of \d+\)", page.inner_text("main"))  # table cells carry their counts
        violations = axe_violations(page)
        assert violations == [], "; ".join(f"{v['id']}: {v['nodes'][0]['target']}" for v in violations)
        screenshot(page, f"workspace-{viewport['width']}-figures")
    finally:
        context.close()
