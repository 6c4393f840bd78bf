"""Closed days in Chromium at 360 px: the admin closes the holidays, and a session already
booked on Christmas is listed for its therapist to move (kept, never cancelled); axe 0."""
import os
from datetime import date, datetime, time, timezone

import pytest

from portal.clock import FixedClock
from portal.domain.audit import Actor
from portal.domain.model import Mode
from portal.domain.timemath import local_wall_to_utc
from portal.services.sessions.booking import record_booking
from tests.e2e.conftest import look, phone_pages
from tests.e2e.test_workspace_browser import sign_in

pytestmark = pytest.mark.browser
CHRISTMAS = date(2026, 12, 25)
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")


@pytest.fixture
def clock():
    return FixedClock(datetime(2026, 12, 14, 14, 0, tzinfo=timezone.utc))  # a December Monday


def test_closing_the_holidays_lists_the_christmas_session(live_stack, browser):
    container, url = live_stack
    store = container.deps.store
    maya = store.therapist_by_email("maya@riverbend.example")
    client = store.list_clients(maya.id)[0]
    kept = record_booking(container.deps, maya, client, local_wall_to_utc(CHRISTMAS, time(11), maya.timezone),
                            Mode.TELE, actor=Actor.system("test"))
    for page in phone_pages(browser):
        sign_in(page, url)
        page.goto(f"{url}/t/settings#closed-h")
        section = page.locator("section", has=page.locator("#closed-h"))
        christmas = section.get_by_label("Christmas Day, Fri Dec 25, 2026")
        assert christmas.is_checked()  # ticked by default
        assert "No day is closed yet" in section.inner_text()
        section.get_by_label("Labor Day, Mon Sep 6, 2027").uncheck()
        section.get_by_label("The practice's own closed days").fill("12/24/2026")
        section.get_by_role("button", name="Save closed days").click()
        page.wait_for_url(f"{url}/t/settings#closed-h")
        assert "on a closed day. They are still on" in page.inner_text("main")
        listed = page.locator("ul.closed-booked")
        assert listed.is_visible()
        assert "Booked on a day the practice is closed" in section.inner_text()
        assert listed.locator(f"a[href='/t/appointments/{kept.id}']").is_visible()
        assert not section.get_by_label("Labor Day, Mon Sep 6, 2027").is_checked()
        look(page, "closed-days-360")
        section.screenshot(path=os.path.join(ARTIFACTS, "closed-days-360-section.png"))  # to read
        settings = store.get_settings()
        assert {CHRISTMAS, date(2026, 12, 24)} <= set(settings.closed_days)
        assert store.get_appointment(kept.id).status.is_open
