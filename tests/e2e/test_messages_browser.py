"""Issue 9 items 2, 9 and 11 in the system Chromium at 360 px (and 320 px for axe): the confirm
page a message's "Yes, I'll be there" opens, a check-in score button's page, the expired link's
"Send me a fresh link", the home page, and a word to the therapist. Screenshots in test-artifacts."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.domain.model import Mode, Status
from tests.e2e.conftest import axe_violations, phone_pages, screenshot
from tests.e2e.test_checkin_browser import next_session

pytestmark = pytest.mark.browser
PHONE_360 = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser):
    yield from phone_pages(browser, PHONE_360)


def look(page, name=None):
    for width in (320, 360):
        page.set_viewport_size({"width": width, "height": 740})
        violations = axe_violations(page)
        assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    if name:
        screenshot(page, name)


def local(container, url, link):
    return link.replace(container.config.base_url, url)


def test_yes_ill_be_there_opens_one_question_and_its_button_confirms(live_stack, phone):
    container, url = live_stack
    a = next_session(container)
    phone.goto(local(container, url, container.links.appointment_url(a, "/confirm")))
    heading = phone.get_by_role("heading", level=1)
    assert heading.inner_text().startswith("Confirm ") and heading.inner_text().endswith("?")
    assert container.store.get_appointment(a.id).status is Status.SCHEDULED  # opening changed nothing
    look(phone, "confirm-page-360")
    phone.get_by_role("button", name="Confirm", exact=True).click()
    assert container.store.get_appointment(a.id).status is Status.CONFIRMED
    expect(phone.get_by_text("you're confirmed")).to_be_visible()


def test_a_score_button_lands_with_the_score_chosen_not_sent_and_send_in_view(live_stack, phone):
    container, url = live_stack
    a = next_session(container, Mode.TELE)
    phone.goto(local(container, url, container.links.checkin_url(a)) + "?score=4")
    expect(phone.get_by_text("Not sent yet")).to_be_visible()
    assert phone.get_by_label("4 · Good").is_checked()
    box = phone.get_by_role("button", name="Send my check-in").first.bounding_box()
    assert box["y"] + box["height"] <= 740, box  # visible without scrolling at 360x740
    look(phone, "checkin-score-chosen-360")
    phone.set_viewport_size(PHONE_360)
    phone.get_by_role("button", name="Send my check-in").first.click()
    expect(phone.get_by_role("heading", name="Thank you")).to_be_visible()
    phone.goto(local(container, url, container.links.checkin_url(a)))
    expect(phone.get_by_role("heading", name="Thanks, you sent this on")).to_be_visible()
    look(phone, "checkin-already-sent-360")


def test_an_expired_link_sends_a_fresh_one(live_stack, phone, clock):
    container, url = live_stack
    a = next_session(container)
    link = local(container, url, container.links.appointment_url(a))
    clock.set(a.end + timedelta(days=8))
    phone.goto(link)
    expect(phone.get_by_role("heading", name="This link has expired")).to_be_visible()
    look(phone, "expired-link-360")
    phone.get_by_role("button", name="Send me a fresh link").click()
    expect(phone.get_by_role("heading", name="A fresh link is on its way")).to_be_visible()
    look(phone, "fresh-link-sent-360")


def test_the_home_page_names_the_practice(live_stack, phone):
    container, url = live_stack
    phone.goto(url + "/")
    expect(phone.get_by_role("heading", name=container.store.get_settings().display_name)).to_be_visible()
    look(phone, "home-360")


def test_a_note_and_running_late_from_the_session_page(live_stack, phone, clock):
    container, url = live_stack
    a = next_session(container)
    clock.set(a.start - timedelta(hours=1))
    phone.goto(local(container, url, container.links.appointment_url(a)))
    expect(phone.get_by_role("heading", name="I'm running late")).to_be_visible()
    look(phone, "session-notes-late-360")
    phone.get_by_role("button", name="10 min").click()
    expect(phone.get_by_text("about 10 minutes late")).to_be_visible()
    phone.get_by_label("A question, a worry about the session, or anything else").fill("Parking <ok>?")
    phone.get_by_role("button", name="Send note").click()
    expect(phone.get_by_text("will see your note")).to_be_visible()
    kinds = sorted(i.kind for i in container.store.inbox(a.therapist_id))
    assert "late" in kinds and "note" in kinds
