"""The dashboard on a phone: "Reach out today" and the new inbox fit in two screens; the pages
issue 10 changed have no axe violations at 1280 and 360 px."""
import pytest

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.test_workspace_browser import LAPTOP, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}

CHANGED = (("dashboard", "/t/"), ("client", "/t/clients/cpriy03"), ("session", "/t/appointments/demomche02"),
           ("move", "/t/appointments/demomche02/reschedule"), ("appointments", "/t/appointments"),
           ("clients", "/t/clients"))


def test_the_top_of_the_dashboard_fits_two_phone_screens(live_stack, browser):
    container, url = live_stack
    page = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True,
                               has_touch=True).new_page()
    sign_in(page, url)
    bottom = page.evaluate("document.getElementById('inbox-section').getBoundingClientRect().bottom"
                           " + window.scrollY")
    page.screenshot(path="/tmp/h9_phone_top.png", clip={"x": 0, "y": 0, "width": 360, "height": 1800})
    print(f"reach-out + new inbox end at {bottom:.0f}px; two screens = {2 * PHONE['height']}px")
    assert bottom <= 2 * PHONE["height"]
    assert page.locator(".reach-list > li").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 15
    smallest = page.evaluate("""Math.min(...[...document.querySelectorAll(
        '.ws-nav a, .ws-nav button, .reach a.tap, .reach button, #inbox-section button, .ws-picker button')]
        .map(e => e.getBoundingClientRect().height))""")
    assert smallest >= 24, f"a tap target is {smallest}px tall"
    screenshot(page, "workspace-phone-dashboard-reach-out")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "360"])
def test_changed_pages_have_no_axe_violations(live_stack, browser, viewport):
    container, url = live_stack
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    try:
        sign_in(page, url)
        for name, path in CHANGED:
            page.goto(f"{url}{path}")
            violations = axe_violations(page)
            assert violations == [], f"{name}: " + "; ".join(
                f"{v['id']}: {v['nodes'][0]['target']}" for v in violations)
            screenshot(page, f"workspace-{viewport['width']}-{name}")
    finally:
        context.close()
