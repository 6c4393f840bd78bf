"""Browser smoke tests of the dev panel in the system Chromium."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def test_dev_panel_lists_sessions_and_runs_a_function(live_stack, phone_page):
    container, url = live_stack
    page = phone_page
    page.goto(f"{url}/dev/")
    expect(page.get_by_role("heading", name="Dev panel")).to_be_visible()
    links = page.get_by_role("link", name="Open link")
    assert links.count() >= 14
    assert axe_violations(page) == []
    screenshot(page, "dev-panel-phone")
    # Move the clock three days on and run the reminders: the outbox fills.
    page.fill("#advance", "P3D")
    page.get_by_role("button", name="Advance the clock").click()
    assert "The dev clock now reads" in page.inner_text("main")
    page.get_by_role("button", name="Run reminders now").click()
    assert "Ran reminders" in page.inner_text("main")
    assert page.locator("article").count() > 0


def test_dev_panel_link_opens_the_client_page(live_stack, phone_page):
    container, url = live_stack
    page = phone_page
    page.goto(f"{url}/dev/")
    upcoming = [a for a in page.context.request.get(f"{url}/dev/appointments.json").json()
                if a["status"] in ("scheduled", "confirmed")]
    link = page.locator(f'a[href="{upcoming[0]["link"]}"]')
    assert link.count() == 1
    link.click()
    expect(page.get_by_role("button", name="Confirm, I'll be there")
           .or_(page.get_by_text("you're confirmed"))).to_be_visible()
    # A past session's link shows a kind page, not an error.
    past = next(a for a in page.context.request.get(f"{url}/dev/appointments.json").json()
                if a["status"] == "attended")
    assert page.goto(past["link"]).status == 410
