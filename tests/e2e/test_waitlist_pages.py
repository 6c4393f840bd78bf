"""The waitlist's pages through the Flask test client: join and leave from the appointment
page, an offer's page (GET shows, POST claims), the kind answers, and bad offer links."""
import re
from datetime import timedelta

import pytest

from portal.domain.audit import Actor
from portal.domain.model import Mode, PracticeSettings
from portal.services.sessions import booking
from portal.services.waitlist.waves import send_due_offers
from tests import builders
from tests.conftest import BASE_URL, T0

FREED = T0 + timedelta(days=2, hours=1)  # Wednesday 10:00 in New York
LATER = T0 + timedelta(days=8)  # next Tuesday 9:00


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def practice(store, deps):
    store.save_settings(PracticeSettings(display_name="Riverbend Counseling",
                                         contact_phone="+1 202-555-0100"))
    t = builders.therapist()
    store.add_therapist(t, builders.weekday_availability())
    return t


def client_with_session(deps, t, n, start):
    c = builders.client(cid=f"cli{n:03d}", tid=t.id, first_name=f"Sam{n}", phone=f"+1202555{n:04d}")
    deps.store.add_client(c)
    a = booking.record_booking(deps, t, c, start, Mode.TELE, actor=Actor.system("test"))
    return c, a


def join(http, links, a):
    path = links.appointment_url(a).removeprefix(BASE_URL)
    form_page = http.get(path + "/earlier").get_data(as_text=True)
    answer = http.post(path + "/earlier", data={"csrf_token": csrf(form_page), "days": ["0", "1", "2"],
                                               "parts": ["morning"], "mode": "either", "notice": "24"})
    assert answer.status_code == 302
    return path


def test_join_shows_on_the_page_and_leave_is_one_tap(client, deps, links, practice):
    c, a = client_with_session(deps, practice, 1, LATER)
    path = join(client, links, a)
    page = client.get(path).get_data(as_text=True)
    assert "You're on the list for an earlier time" in page
    assert deps.store.waitlist_entry(c.id).prefs.weekdays == frozenset({0, 1, 2})
    left = client.post(path + "/earlier/leave", data={"csrf_token": csrf(page)})
    assert left.status_code == 302 and deps.store.waitlist_entry(c.id) is None
    assert "take an earlier time</a>" in client.get(path).get_data(as_text=True)


def test_an_offer_page_shows_then_claims_and_the_others_are_told_kindly(client, deps, store, clock,
                                                                       notifier, links, practice, app):
    racers = [client_with_session(deps, practice, n, LATER + timedelta(hours=n)) for n in (1, 2)]
    for _, a in racers:
        join(app.test_client(), links, a)
    c, a = client_with_session(deps, practice, 9, FREED)
    booking.cancel(deps, store.load_context(a.id, c.id, practice.id), a.version, actor=Actor.client())
    clock.advance(timedelta(minutes=3))
    notifier.sent.clear()
    send_due_offers(deps)
    paths = [re.search(r"https://\S+(/o/\S+)", t).group(1) for _, _, t in notifier.of("sms")]
    assert len(paths) == 2
    shown = client.get(paths[0])
    body = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Wednesday, March 4 at 10:00 AM" in body and "Take this time" in body
    assert store.get_opening(store.openings_of(practice.id, FREED, FREED)[0].id).status == "open"
    won = client.post(paths[0], data={"csrf_token": csrf(body)})
    assert won.status_code == 200 and "It's yours" in won.get_data(as_text=True)
    other = app.test_client()
    late = other.get(paths[1])
    text = late.get_data(as_text=True)
    assert late.status_code == 409 and "Someone took this time just before you" in text
    assert "still on the list" in text and "Other open times" in text


def test_bad_offer_links_get_a_friendly_page(client, deps, store, clock, notifier, links, practice):
    c1, a1 = client_with_session(deps, practice, 1, LATER)
    join(client, links, a1)
    c, a = client_with_session(deps, practice, 9, FREED)
    booking.cancel(deps, store.load_context(a.id, c.id, practice.id), a.version, actor=Actor.client())
    clock.advance(timedelta(minutes=3))
    notifier.sent.clear()
    send_due_offers(deps)
    path = re.search(r"https://\S+(/o/\S+)", notifier.of("sms")[0][2]).group(1)
    tampered = client.get(path[:-3] + "xyz")
    assert tampered.status_code == 404 and "fresh link" in tampered.get_data(as_text=True).lower()
    # The session moved earlier than the offered time: the offer no longer applies.
    ctx = store.load_context(a1.id, c1.id, practice.id)
    booking.reschedule(deps, ctx, T0 + timedelta(days=1), ctx.appointment.version, actor=Actor.client())
    moved = client.get(path)
    assert moved.status_code == 409 and "Your session changed" in moved.get_data(as_text=True)
    # The therapist booked the time again: the link says it's taken.
    ctx = store.load_context(a1.id, c1.id, practice.id)
    booking.reschedule(deps, ctx, LATER, ctx.appointment.version, actor=Actor.client())
    other, _ = client_with_session(deps, practice, 5, FREED)
    taken = client.get(path)
    assert taken.status_code == 409 and "Someone took this time" in taken.get_data(as_text=True)
    clock.set(FREED + timedelta(minutes=1))
    expired = client.get(path)
    assert expired.status_code == 410
