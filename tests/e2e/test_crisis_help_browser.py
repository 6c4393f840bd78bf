"""Issue 18 item 1 at 360 px in Chromium: crisis help shows the moment a client has chosen, or
arrives having chosen, the lowest check-in score or "Not feeling well, or an emergency", before
any further tap. axe on every page; screenshots in /tmp/crisis-*.png for reading."""
import pytest
from playwright.sync_api import expect

from portal.domain.model import Mode
from tests.e2e.conftest import look, phone_pages
from tests.e2e.test_checkin_browser import next_session
from tests.e2e.test_client_browser import sessions

pytestmark = pytest.mark.browser

PHONE_360 = {"width": 360, "height": 740}
QUIET_LINE = "In crisis? Call or text 988. Emergency: 911."


@pytest.fixture
def page(browser):
    yield from phone_pages(browser, PHONE_360)


def crisis_in_view(page, name, in_view=True):
    """988 by call and text, and 911, visible (and on the screen the client is looking at)."""
    for link, href in (("Call 988", "tel:988"), ("Text 988", "sms:988"),
                       ("In an emergency, call 911", "tel:911")):
        found = page.get_by_role("link", name=link, exact=True)
        expect(found).to_be_visible()
        if in_view:
            expect(found).to_be_in_viewport()
        assert found.get_attribute("href") == href
    look(page)
    page.screenshot(path=f"/tmp/crisis-{name}.png")


def checkin_link(container, url, mode=Mode.IN_PERSON):
    return container.links.checkin_url(next_session(container, mode)).replace(container.config.base_url, url)


def test_arriving_from_the_email_with_the_lowest_score_shows_crisis_help_first(live_stack, page):
    container, url = live_stack
    page.goto(checkin_link(container, url) + "?score=1")  # the email's "1 · Struggling" button
    assert page.get_by_label("1 · Struggling").is_checked()
    assert page.evaluate("window.scrollY") == 0  # the first screen, before any scrolling
    crisis_in_view(page, "checkin-1-arrive")
    heading = page.get_by_role("heading", name="If you need help right now")
    form_top = page.locator("form").first.bounding_box()["y"]
    assert heading.bounding_box()["y"] < form_top  # above the form, before any tap
    expect(page.get_by_role("button", name="Send my check-in").first).to_be_visible()


def test_picking_the_lowest_score_or_illness_on_the_page_reveals_crisis_help(live_stack, page):
    container, url = live_stack
    page.goto(checkin_link(container, url, Mode.TELE))
    expect(page.get_by_role("link", name="Call 988", exact=True)).to_be_hidden()
    page.get_by_label("1 · Struggling").check()
    crisis_in_view(page, "checkin-1-picked")
    page.get_by_label("3 · Okay").check()
    expect(page.get_by_role("link", name="Call 988", exact=True)).to_be_hidden()
    page.get_by_label("Not feeling well, or an emergency").check()
    crisis_in_view(page, "checkin-illness-picked")


def test_cancelling_for_illness_reveals_crisis_help_before_continue(live_stack, page):
    container, url = live_stack
    page.goto(sessions(url, status="scheduled", mode="in_person")[3]["link"])
    page.get_by_role("link", name="I can't make it").click()
    expect(page.get_by_role("link", name="Call 988", exact=True)).to_be_hidden()
    choice = page.get_by_label("Not feeling well, or an emergency")
    choice.check()
    crisis_in_view(page, "cancel-illness-picked")  # the first choice: its help opens on the first screen
    # Right under the choice the client just tapped, before Continue: the next thing they see.
    heading = page.get_by_role("heading", name="If you need help right now").bounding_box()
    label = page.locator("label.choice", has=choice).bounding_box()
    assert 0 < heading["y"] - (label["y"] + label["height"]) < 60
    assert heading["y"] < page.get_by_role("button", name="Continue").bounding_box()["y"]
    page.get_by_label("A scheduling conflict").check()
    expect(page.get_by_role("link", name="Call 988", exact=True)).to_be_hidden()


def test_the_reveal_needs_no_javascript(live_stack, browser):
    container, url = live_stack
    context = browser.new_context(viewport=PHONE_360, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(checkin_link(container, url) + "?score=1")
        expect(page.get_by_role("link", name="Call 988", exact=True)).to_be_in_viewport()
        page.goto(checkin_link(container, url, Mode.TELE))
        page.get_by_label("1 · Struggling").check()
        expect(page.get_by_role("link", name="Call 988", exact=True)).to_be_visible()
    finally:
        context.close()


def test_every_client_page_ends_with_the_quiet_crisis_line(live_stack, page):
    container, url = live_stack
    for path, name in ((sessions(url, status="scheduled")[0]["link"], "appointment"),
                       (checkin_link(container, url), "checkin"),
                       (f"{url}/a/not-a-real-token", "link-problem")):
        page.goto(path)
        line = page.locator("footer.crisis-line")
        expect(line).to_have_text(QUIET_LINE)
        expect(line.get_by_role("link", name="Call the 988 crisis line")).to_have_attribute("href", "tel:988")
        expect(line.get_by_role("link", name="Text the 988 crisis line")).to_have_attribute("href", "sms:988")
        expect(line.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
        line.scroll_into_view_if_needed()
        expect(line).to_be_visible()
        look(page)
        page.screenshot(path=f"/tmp/crisis-line-{name}.png", full_page=True)
