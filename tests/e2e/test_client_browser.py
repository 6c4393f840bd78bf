"""Client journeys in the system Chromium at phone size, each from a link in the dev panel:
confirm, reschedule, video, cancel with each barrier, and bad links. axe on every page."""
import json
import urllib.request
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.domain.timemath import parse_utc
from tests.e2e.conftest import look

pytestmark = pytest.mark.browser


def sessions(url, **match):
    """The dev panel's appointments, as a client's links lead to them."""
    with urllib.request.urlopen(f"{url}/dev/appointments.json", timeout=30) as answer:
        listing = json.load(answer)
    return [a for a in listing if all(a[k] == v for k, v in match.items())]


def test_confirm_from_the_dev_panel_link_in_one_tap(live_stack, phone_page):
    container, url = live_stack
    page = phone_page
    page.goto(f"{url}/dev/")
    chosen = sessions(url, status="scheduled", mode="in_person")[0]
    page.goto(chosen["link"])
    expect(page.get_by_role("heading", name="here is your session")).to_be_visible()
    expect(page.get_by_text("New York time (EST)")).to_be_visible()
    look(page, "client-appointment")
    page.get_by_role("button", name="Confirm, I'll be there").click()
    expect(page.get_by_text("you're confirmed")).to_be_visible()
    expect(page.get_by_text("Confirmed", exact=True)).to_be_visible()
    look(page, "client-confirmed")
    page.set_viewport_size({"width": 320, "height": 640})
    look(page)  # still readable at 320 px


def test_the_pages_work_without_javascript(live_stack, browser):
    container, url = live_stack
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    moved, confirmed = sessions(url, status="scheduled")[1:3]
    page.goto(moved["link"])
    page.get_by_role("link", name="Choose another time").click()
    page.locator("ul.slots button").first.click()
    expect(page.get_by_text("Done: your session is now")).to_be_visible()
    # A time the client picked is already confirmed: no second tap is asked of them.
    assert page.get_by_role("button", name="Confirm, I'll be there").count() == 0
    page.goto(confirmed["link"])
    page.get_by_role("button", name="Confirm, I'll be there").click()
    expect(page.get_by_text("you're confirmed")).to_be_visible()
    context.close()


def test_reschedule_with_evening_and_weekend_times_labelled(live_stack, phone_page):
    container, url = live_stack
    page = phone_page
    chosen = sessions(url, status="scheduled")[0]
    page.goto(chosen["link"])
    page.get_by_role("link", name="Choose another time").click()
    expect(page.get_by_role("heading", name="Choose another time")).to_be_visible()
    assert page.locator("ul.slots small", has_text="Evening").count() > 0
    look(page, "client-reschedule")
    page.get_by_role("link", name="Evening", exact=True).click()
    look(page, "client-reschedule-evenings")
    button = page.locator("ul.slots button").first
    new_time = button.inner_text().splitlines()[0]
    button.click()
    if page.get_by_role("heading", name="Move your session to").count():  # another mode: asked first
        page.get_by_role("button", name="Yes, move it").click()
    expect(page.get_by_text(f"at {new_time}").first).to_be_visible()
    look(page, "client-rescheduled")
    stored = container.store.get_appointment(chosen["id"], consistent=True)
    assert stored.start != parse_utc(chosen["start"]) and stored.version > 1


def test_switch_to_video_and_back(live_stack, phone_page):
    container, url = live_stack
    page = phone_page
    chosen = sessions(url, status="scheduled", mode="in_person")[1]
    page.goto(chosen["link"])
    page.get_by_role("button", name="Switch to video").click()
    expect(page.get_by_text("now by video")).to_be_visible()
    join = page.get_by_role("link", name="Join the video session")
    assert join.get_attribute("href").startswith("https://meet.example.org/")
    look(page, "client-video")
    page.get_by_role("button", name="Switch to in person").click()
    expect(page.get_by_text("now in person")).to_be_visible()


BARRIERS = [  # the answer's label, and what the next page offers for it
    ("A scheduling conflict", "Let's find a time that fits"),
    ("Getting there (transportation)", "join by video"),
    ("The cost", "Help with cost"),
    ("Feeling anxious or unsure about the session", "It's okay to feel this way"),
    ("Not feeling well, or an emergency", "988"),
    ("Something else", "Before you go"),
]


def test_cancel_with_each_barrier_offers_help_first(live_stack, phone_page, clock):
    container, url = live_stack
    page = phone_page
    open_sessions = sessions(url, status="scheduled") + sessions(url, status="confirmed")
    open_sessions.sort(key=lambda a: a["start"])
    chosen = open_sessions[-len(BARRIERS):]
    for n, ((label, offered), session) in enumerate(zip(BARRIERS, chosen)):
        late = label.startswith("Not feeling well")
        if late:  # this one inside the late-cancel window: the policy shows before the last tap
            clock.set(parse_utc(session["start"]) - timedelta(hours=5))
        page.goto(session["link"])
        page.get_by_role("link", name="I can't make it").click()
        expect(page.get_by_role("heading", name="Can't make it? That's okay.")).to_be_visible()
        look(page, "client-cancel-reason" if n == 0 else None)
        page.get_by_label(label).check()
        page.get_by_label("Anything you'd like").fill(f"Note <b>{n}</b>")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text(offered).first, label).to_be_visible()
        policy = page.get_by_text("will be recorded as a late cancellation")
        assert policy.count() == (1 if late else 0)
        look(page, f"client-cancel-help-{label.split()[0].lower()}-{n}")
        page.get_by_role("button", name="Cancel my session").click()
        expect(page.get_by_role("heading", name="Your session is cancelled")).to_be_visible()
        look(page, "client-cancelled" if n == 0 else None)
        stored = container.store.get_appointment(session["id"], consistent=True)
        assert stored.status.value == ("late_cancelled" if late else "cancelled")
        assert stored.note == f"Note <b>{n}</b>" and stored.barrier is not None
    inbox = container.store.inbox(container.store.get_appointment(chosen[0]["id"]).therapist_id)
    assert inbox  # what the clients said reached their therapists
    page.get_by_role("link", name="Book a new time").click()
    look(page, "client-rebook")
    page.locator("ul.slots button").first.click()
    if page.get_by_role("button", name="Yes, book it").count():  # another mode, or within 24 h: asked
        page.get_by_role("button", name="Yes, book it").click()
    expect(page.get_by_text("You're booked for")).to_be_visible()
    look(page, "client-rebooked")


def test_bad_and_expired_links_get_friendly_pages(live_stack, phone_page, clock):
    container, url = live_stack
    page = phone_page
    chosen = sessions(url)[0]
    answer = page.goto(chosen["link"][:-4] + "abcd")
    assert answer.status == 404
    expect(page.get_by_role("heading", name="We couldn't open this link")).to_be_visible()
    look(page, "client-bad-link")
    clock.set(parse_utc(chosen["end"]) + timedelta(days=8))
    answer = page.goto(chosen["link"])
    assert answer.status == 410
    expect(page.get_by_role("heading", name="This link has expired")).to_be_visible()
    assert "+1 202-555-0100" in page.inner_text("main")
    look(page, "client-expired")
