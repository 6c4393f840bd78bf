"""The hours page in Chromium: the windows in use plus one blank row; "Add a window" adds a row
and saves nothing; Enter in a field still saves; no axe violations at 1280 and 360 px."""
import pytest

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.test_workspace_browser import LAPTOP, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
WINDOW_ROWS = "fieldset.ws-window:has(select[name$='-weekday'])"


def assert_clean(page, name):
    violations = axe_violations(page)
    assert violations == [], f"{name}: " + "; ".join(f"{v['id']}: {v['nodes'][0]['target']}" for v in violations)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "360"])
def test_add_a_window_then_enter_saves_it(live_stack, browser, viewport):
    container, url = live_stack
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    try:
        sign_in(page, url)
        page.goto(f"{url}/t/availability")
        in_use = len(container.deps.store.get_availability("mchen1").windows)
        rows = page.locator(WINDOW_ROWS)
        assert rows.count() == in_use + 1  # not a wall of empty rows
        assert_clean(page, "availability")
        screenshot(page, f"workspace-{viewport['width']}-availability")
        rows.last.locator("input[name$='-start']").fill("10:00")  # typed, then one more row asked for
        page.get_by_role("button", name="Add a window").click()
        assert "Nothing is saved until you press Save hours" in page.inner_text("main")
        assert rows.count() == in_use + 2
        assert rows.nth(in_use).locator("input[name$='-start']").input_value() == "10:00"
        assert page.evaluate("document.activeElement.name") == f"windows-{in_use + 1}-weekday"
        assert len(container.deps.store.get_availability("mchen1").windows) == in_use  # nothing saved
        assert_clean(page, "availability-added")
        row = rows.nth(in_use)
        row.locator("select[name$='-weekday']").select_option(label="Saturday")
        row.locator("input[name$='-end']").fill("14:00")
        row.locator("input[name$='-end']").press("Enter")  # the form's default button saves
        assert "Your hours are saved" in page.inner_text("main")
        assert "10:00 AM–2:00 PM" in page.locator(".week-grid li", has_text="Saturday").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"workspace-{viewport['width']}-availability-saved")
    finally:
        context.close()
