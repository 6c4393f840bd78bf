"""A tap that takes a while shows it is working (issue 18 item 12): the button says what is
happening and a second tap sends nothing more. Without JavaScript the forms post as before."""
import pytest
from playwright.sync_api import expect

from portal.services.sessions import open_times
from tests.e2e.conftest import LiveServer, look
from tests.e2e.test_client_journeys import Web
from tests.e2e.test_client_promises import MON_11

pytestmark = pytest.mark.browser

# Runs after the page's own listener: counts the submits that would reach the server, and
# keeps the page where it is so the button can be read.
COUNT_SUBMITS = """() => { window.sent = 0; document.addEventListener('submit', (e) => {
  if (!e.defaultPrevented) { window.sent += 1; } e.preventDefault(); }); }"""


def test_moving_shows_it_is_working_and_a_second_tap_sends_nothing(app, deps, phone_page):
    from dataclasses import replace

    web = Web(app, deps)
    web.store.save_settings(replace(web.store.get_settings(), min_notice_hours=1))
    a = web.book()
    page = phone_page
    with LiveServer(app) as server:
        page.goto(server.url + web.path(a, "/reschedule"))
        first = page.locator("ul.slots button").first
        first.evaluate("(b, v) => { b.value = v; }", open_times.slot_value(MON_11))  # a time 2 h ahead
        first.click()
        button = page.get_by_role("button", name="Yes, move it")
        expect(button).to_be_visible()  # within 24 hours: the ask page
        look(page)
        page.evaluate(COUNT_SUBMITS)
        button.click()
        expect(page.get_by_role("button", name="Moving…")).to_be_visible()
        page.get_by_role("button", name="Moving…").click()
        assert page.evaluate("window.sent") == 1
        assert page.locator("form[aria-busy=true]").count() == 1


def test_every_client_page_loads_the_script_from_its_own_origin(app, deps):
    web = Web(app, deps)
    a = web.book()
    page = web.get(a).get_data(as_text=True)
    assert '<script src="/static/js/busy.js" defer></script>' in page
    assert "script-src 'self'" in web.get(a).headers["Content-Security-Policy"]
