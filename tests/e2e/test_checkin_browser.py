"""The check-in page in the system Chromium at phone size, on the seeded dev stack: answer, get
help for a barrier, switch the next session to video, turn check-ins off. axe on every page."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.domain.model import Mode, Status
from tests.e2e.conftest import look

pytestmark = pytest.mark.browser


def next_session(container, mode=Mode.IN_PERSON):
    """A scheduled session whose client has not answered a check-in yet. The seed gives Priya
    an answer at the frozen "now"; a second answer in that same second counts as a repeat."""
    store, now = container.store, container.clock.now()
    for therapist in store.list_therapists():
        for appointment in store.therapist_appointments(therapist.id, now, now + timedelta(days=14)):
            if appointment.mode is mode and appointment.status is Status.SCHEDULED \
                    and not store.latest_checkins([appointment.client_id]):
                if mode is Mode.TELE or Mode.TELE in _modes(container, appointment):
                    return appointment
    raise AssertionError("the seed has no such session")


def _modes(container, appointment):
    from portal.services.sessions.booking import modes_available

    ctx = container.store.load_context(appointment.id, appointment.client_id, appointment.therapist_id)
    return modes_available(ctx)


def test_a_check_in_with_a_barrier_leads_to_help_in_two_taps(live_stack, phone_page):
    container, url = live_stack
    appointment = next_session(container)
    link = container.links.checkin_url(appointment).replace(container.config.base_url, url)
    page = phone_page
    page.goto(link + "?score=2")  # as from the email's "Not great" button
    expect(page.get_by_role("heading", name="How are you doing")).to_be_visible()
    assert page.get_by_label("2 · Not great").is_checked()
    look(page, "checkin-form")
    page.get_by_label("Getting there (transportation)").check()
    page.get_by_label("Anything you'd like to add? (optional)").fill("The bus route changed.")
    page.get_by_role("button", name="Send my check-in").first.click()  # the one on top
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_role("heading", name="You could join by video instead")).to_be_visible()
    look(page, "checkin-thanks-barrier")
    page.get_by_role("button", name="Make my next session video").click()
    assert container.store.get_appointment(appointment.id).mode is Mode.TELE
    look(page)
    sent = [item for item in container.store.inbox(appointment.therapist_id)
            if item.client_id == appointment.client_id and item.kind == "checkin"]
    assert ["The bus route changed." in item.text for item in sent] == [True]


def test_turning_check_ins_off_works_without_javascript_at_320px(live_stack, browser):
    container, url = live_stack
    appointment = next_session(container, Mode.TELE)
    link = container.links.checkin_url(appointment).replace(container.config.base_url, url)
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    page.goto(link)
    page.get_by_role("button", name="Turn off check-in messages").click()
    expect(page.get_by_text("we won't send you check-in messages")).to_be_visible()
    assert container.store.get_client(appointment.client_id).checkins_enabled is False
    page.get_by_label("4 · Good").check()
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    context.close()


def test_a_low_answer_without_a_barrier_shows_support(live_stack, phone_page):
    container, url = live_stack
    appointment = next_session(container, Mode.TELE)
    page = phone_page
    page.goto(container.links.checkin_url(appointment).replace(container.config.base_url, url))
    page.get_by_label("1 · Struggling").check()
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.get_by_role("heading", name="We're sorry things are hard right now")).to_be_visible()
    look(page, "checkin-thanks-low")
    page.goto(f"{url}/c/not-a-real-token")
    expect(page.get_by_role("heading", name="We couldn't open this link")).to_be_visible()
    look(page)
