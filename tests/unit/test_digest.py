"""Each therapist's morning digest: at about 07:00 in their zone, once a day, short names only."""
from datetime import datetime, timezone

import pytest

from portal.domain.audit import Actor
from portal.domain.model import Barrier, InboxItem, Mode, PracticeSettings, Status
from portal.services.messaging.digest import send_digests
from portal.services.sessions import booking
from tests import builders

SETTINGS = PracticeSettings(display_name="Riverbend Counseling")


def at(*args):
    return datetime(*args, tzinfo=timezone.utc)


def book(deps, therapist, client, start, status=Status.SCHEDULED):
    return booking.record_booking(deps, therapist, client, start, Mode.IN_PERSON, actor=Actor.system("test"),
                                  how=booking.HowRecorded(status=status))


@pytest.fixture
def day(deps, store, clock):
    """Monday in New York: three sessions (one confirmed), a past no-show, a barrier this morning."""
    store.save_settings(SETTINGS)
    therapist, alex = builders.practice(store)
    jordan = builders.client(cid="cli002", first_name="Jordan", last_name="Lee", email="j@example.com")
    store.add_client(jordan)
    clock.set(at(2026, 2, 1, 12, 0))
    missed = book(deps, therapist, jordan, at(2026, 2, 2, 15, 0))
    clock.set(at(2026, 2, 2, 16, 0))
    ctx = store.load_context(missed.id, jordan.id, therapist.id)
    booking.mark_attendance(deps, ctx, Status.NO_SHOW, ctx.appointment.version, actor=Actor.system("test"))
    clock.set(at(2026, 3, 1, 12, 0))
    book(deps, therapist, alex, at(2026, 3, 2, 15, 0))  # 10:00
    book(deps, therapist, jordan, at(2026, 3, 2, 17, 0))  # 12:00
    book(deps, therapist, alex, at(2026, 3, 2, 21, 0), Status.CONFIRMED)  # 16:00
    book(deps, therapist, alex, at(2026, 3, 3, 15, 0))  # tomorrow: not in today's digest
    store.add_inbox(InboxItem(therapist.id, at(2026, 3, 2, 10, 0), "barrier", jordan.id,
                              barrier=Barrier.COST, text="money is tight this month", id="i1"))
    store.add_inbox(InboxItem(therapist.id, at(2026, 2, 20, 10, 0), "note", alex.id, text="old", id="i0"))
    return therapist, alex, jordan


def digests(notifier, therapist):
    return [e for _, to, e in notifier.of("email") if to == therapist.email]


def test_the_digest_goes_at_seven_local_once_with_today_at_a_glance(deps, store, clock, notifier, day):
    therapist, alex, jordan = day
    clock.set(at(2026, 3, 2, 11, 0))  # 06:00 in New York
    assert send_digests(deps)["not_now"] == 1 and notifier.sent == []
    clock.set(at(2026, 3, 2, 12, 0))  # 07:00
    assert send_digests(deps)["sent"] == 1
    [email] = digests(notifier, therapist)
    assert email.subject == "Your day: 3 sessions today, 2 not yet confirmed, 1 at risk, 1 new message"
    text = email.text
    assert "10:00 AM  Alex R., in person. Not yet confirmed.\n" in text + "\n"  # no habit of confirming yet
    assert "12:00 PM  Jordan L., in person. Not yet confirmed. At risk." in text
    # Minimum necessary: who and when; the reasons, barrier and note are on the dashboard.
    for private in ("Missed a session", "Reported: the cost", "money is tight"):
        assert private not in text + email.html
    assert "Jordan L. (" in text.split("NEW FROM CLIENTS")[1] and "/t/clients/cli002" in text
    assert "old" not in text.split("NEW FROM CLIENTS")[1]
    assert "Rivera" not in text + email.html and "Lee" not in text + email.html
    assert "Tue" not in text.split("TODAY'S SESSIONS")[1].split("NOT YET")[0]
    clock.set(at(2026, 3, 2, 13, 0))
    assert send_digests(deps)["already_sent"] == 1 and len(digests(notifier, therapist)) == 1


def test_each_therapist_gets_it_at_seven_in_their_own_zone(deps, store, clock, notifier, day):
    west = builders.therapist(tid="ther02", zone="America/Los_Angeles", email="west@practice.test")
    store.add_therapist(west, builders.weekday_availability())
    client = builders.client(cid="cli003", tid=west.id, first_name="Priya", last_name="Natarajan")
    store.add_client(client)
    book(deps, west, client, at(2026, 3, 2, 18, 0))
    clock.set(at(2026, 3, 2, 12, 0))
    send_digests(deps)
    assert digests(notifier, west) == []
    clock.set(at(2026, 3, 2, 15, 0))  # 07:00 in Los Angeles
    send_digests(deps)
    [email] = digests(notifier, west)
    assert "10:00 AM  Priya N." in email.text


def test_a_quiet_day_sends_no_email(deps, store, clock, notifier):
    store.save_settings(SETTINGS)
    builders.practice(store)
    clock.set(at(2026, 3, 2, 12, 0))
    assert send_digests(deps)["empty"] == 1 and notifier.sent == []


def test_a_failed_digest_is_tried_again_the_next_hour(deps, store, clock, notifier, day):
    therapist = day[0]
    notifier.throttle = lambda channel: True
    clock.set(at(2026, 3, 2, 12, 0))
    assert send_digests(deps)["failed"] == 1
    notifier.throttle = None
    clock.set(at(2026, 3, 2, 13, 0))  # 08:00: still the morning
    assert send_digests(deps)["sent"] == 1 and len(digests(notifier, therapist)) == 1


def test_digest_handler(deps, store, clock, day, handlers):
    from functions import digest
    clock.set(at(2026, 3, 2, 12, 0))
    assert digest.handler({"detail-type": "Scheduled Event"}, None)["sent"] == 1
