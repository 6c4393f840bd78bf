"""Issue 11 at 360 px in Chromium on the seeded dev stack: joining the waitlist from the
appointment page, leaving it in one tap, claiming an offer from its link, and losing the race
to a client who tapped first. axe on every page, screenshots kept for reading."""
import json
import urllib.request
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.domain.audit import Actor
from portal.domain.model import Mode
from portal.services.sessions import booking
from portal.services.waitlist.waves import send_due_offers
from tests.e2e.test_client_browser import look, sessions

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 740}


def offer_links(url):
    with urllib.request.urlopen(f"{url}/dev/outbox.json", timeout=30) as answer:
        outbox = json.load(answer)
    return [link for m in outbox for link in m.get("links") or [] if link.startswith(url + "/o/")]


def not_on_the_list(store, url):
    for listed in sessions(url, status="scheduled"):
        appt = store.get_appointment(listed["id"])
        if store.waitlist_entry(appt.client_id) is None:
            return listed, appt
    raise AssertionError("the demo seed has no session whose client is off the list")


def test_joining_from_the_appointment_page_and_leaving_in_one_tap(live_stack, phone_page):
    container, url = live_stack
    page = phone_page
    page.set_viewport_size(NARROW)
    listed, appt = not_on_the_list(container.store, url)
    page.goto(listed["link"])
    page.get_by_role("link", name="I'd take an earlier time").click()
    expect(page.get_by_role("heading", name="I'd take an earlier time")).to_be_visible()
    look(page, "waitlist-join")
    for day in ("Tuesday", "Thursday", "Friday", "Saturday", "Sunday"):  # all start ticked
        page.get_by_label(day, exact=True).uncheck()
    for part in ("Mornings", "Afternoons"):
        page.get_by_label(part, exact=False).uncheck()
    page.get_by_label("Video", exact=True).check()
    page.get_by_label("48 hours").check()
    page.get_by_role("button", name="Put me on the list").click()
    expect(page.get_by_text("You're on the list for an earlier time")).to_be_visible()
    look(page, "waitlist-joined")
    entry = container.store.waitlist_entry(appt.client_id)
    assert entry.prefs.weekdays == frozenset({0, 2}) and entry.prefs.mode == Mode.TELE
    assert entry.prefs.notice_hours == 48 and entry.prefs.parts == frozenset({"evening"})
    page.get_by_role("button", name="Leave the list").click()
    expect(page.get_by_text("You've left the list")).to_be_visible()
    expect(page.get_by_role("link", name="I'd take an earlier time")).to_be_visible()
    look(page, "waitlist-left")
    assert container.store.waitlist_entry(appt.client_id) is None


def test_one_client_claims_an_offer_and_the_next_is_told_kindly(live_stack, browser, phone_page):
    container, url = live_stack
    store, deps = container.store, container.deps
    freed = store.get_appointment("demomche03")  # its client is not on the list
    ctx = store.load_context(freed.id, freed.client_id, freed.therapist_id)
    booking.cancel(deps, ctx, freed.version, actor=Actor.client())
    container.clock.advance(timedelta(minutes=5))  # past the grace period
    send_due_offers(deps)
    links = offer_links(url)
    assert len(links) >= 2
    page = phone_page
    page.set_viewport_size(NARROW)
    page.goto(links[0])
    expect(page.get_by_role("heading", name="An earlier time is open")).to_be_visible()
    expect(page.get_by_text("with", exact=False).first).to_be_visible()
    assert page.locator("main button.btn-primary").count() == 1  # one button to take it
    look(page, "waitlist-offer")
    opening = store.openings_of(freed.therapist_id, freed.start, freed.start)[0]
    assert opening.status == "open"  # GET changed nothing
    page.get_by_role("button", name="Take this time").click()
    expect(page.get_by_role("heading", name="It's yours")).to_be_visible()
    look(page, "waitlist-claimed")
    opening = store.openings_of(freed.therapist_id, freed.start, freed.start)[0]
    winner = store.get_appointment(opening.claimed_appointment_id, consistent=True)
    assert winner.start == freed.start and winner.client_id == opening.claimed_by

    second = browser.new_context(viewport=NARROW, is_mobile=True, has_touch=True).new_page()
    second.goto(links[1])
    expect(second.get_by_role("heading", name="Someone took this time just before you")).to_be_visible()
    expect(second.get_by_text("You're still on the list")).to_be_visible()
    expect(second.get_by_role("heading", name="Other open times")).to_be_visible()
    look(second, "waitlist-taken")
    second.get_by_role("link", name="Choose one of these times").click()
    assert second.url.endswith("/reschedule") and second.locator("ul.slots button").count()
    second.context.close()
