"""Issue 9 at 360 px in Chromium: crisis help first, the short time picker, a move confirmed
and undone, calendar links. axe on every page, screenshots kept for reading."""
import pytest
from playwright.sync_api import expect

from tests.e2e.test_client_browser import look, sessions

pytestmark = pytest.mark.browser


def test_the_short_picker_a_confirmed_move_and_undo(live_stack, phone_page):
    container, url = live_stack
    page = phone_page
    chosen = sessions(url, status="scheduled", mode="in_person")[2]
    page.goto(chosen["link"])
    expect(page.get_by_role("link", name="Add to Google Calendar")).to_be_visible()
    expect(page.get_by_role("link", name="Add to Outlook")).to_be_visible()
    page.get_by_role("link", name="Choose another time").click()
    look(page, "client-picker")
    later = page.get_by_role("link", name="Later times").bounding_box()
    assert later["y"] < 2.3 * 740  # the first view: about two phone screens
    video_only = page.locator("ul.slots button", has_text="Video only")
    button = video_only.first if video_only.count() else page.locator("ul.slots button").first
    button.click()
    if page.get_by_role("heading", name="Move your session to").count():
        look(page, "client-move-confirm")
        expect(page.get_by_text("by video", exact=False).first).to_be_visible()
        page.get_by_role("button", name="Yes, move it").click()
    expect(page.get_by_text("Done: your session is now")).to_be_visible()
    moved = page.get_by_role("heading", name="Moved from")
    expect(moved).to_be_visible()
    look(page, "client-moved-undo")
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Done: your session is back to")).to_be_visible()
    look(page, "client-undone")
    stored = container.store.get_appointment(chosen["id"], consistent=True)
    assert stored.start.isoformat().startswith(chosen["start"][:16]) and stored.mode.value == "in_person"


def test_not_feeling_well_puts_crisis_help_first_and_no_choice_pushed(live_stack, phone_page):
    container, url = live_stack
    page = phone_page
    chosen = sessions(url, status="scheduled", mode="in_person")[3]
    page.goto(chosen["link"])
    page.get_by_role("link", name="I can't make it").click()
    page.get_by_label("Not feeling well, or an emergency").check()
    page.get_by_role("button", name="Continue").click()
    crisis = page.get_by_role("heading", name="If you need help right now")
    expect(crisis).to_be_visible()
    assert crisis.bounding_box()["y"] < 200  # first on the page
    assert page.get_by_role("link", name="Call 988").get_attribute("href") == "tel:988"
    assert page.get_by_role("link", name="Text 988").get_attribute("href") == "sms:988"
    choices = [page.get_by_role("link", name="Another time"), page.get_by_role("button", name="Cancel my session")]
    assert all("btn-primary" not in (c.get_attribute("class") or "") for c in choices)
    look(page, "client-illness-help")
    page.set_viewport_size({"width": 320, "height": 640})
    look(page)


def test_booking_again_asks_before_a_video_only_time(live_stack, phone_page):
    from portal.services.client.changes import rebook_id

    container, url = live_stack
    page = phone_page
    # Maya's Friday mornings are by video only.
    chosen = sessions(url, status="scheduled", mode="in_person", therapist_email="maya@riverbend.example")[-1]
    page.goto(chosen["link"])
    page.get_by_role("link", name="I can't make it").click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Cancel my session").click()
    page.get_by_role("link", name="Book a new time").click()
    video_only = page.locator("ul.slots button", has_text="Video only")
    for _ in range(6):  # the first view holds about two screens of times
        if video_only.count():
            break
        page.get_by_role("link", name="Later times").click()
    video_only.first.click()
    expect(page.get_by_role("heading", name="Book ")).to_be_visible()
    expect(page.locator("#mode-change")).to_contain_text("by video, not in person")
    look(page, "client-rebook-ask")
    page.get_by_role("button", name="Yes, book it by video").click()
    expect(page.get_by_text("You're booked for")).to_contain_text("by video (join link: https://")
    look(page, "client-rebooked-video")
    booked = container.store.get_appointment(rebook_id(chosen["id"]), consistent=True)
    assert booked.mode.value == "tele" and booked.status.value == "confirmed"
