"""The waitlist on the in-memory fakes: a cancel frees a time, the grace period, waves of
offers by the due lane, a claim that moves the later session, the withdrawal of the rest."""
import re
from datetime import timedelta

import pytest

from portal.domain.audit import Actor
from portal.domain.model import Mode, PracticeSettings, Status
from portal.domain.waitlist import CLAIMED, WaitlistPrefs
from portal.services.sessions import booking
from portal.services.waitlist import claims
from portal.services.waitlist import entries as waitlist
from portal.services.waitlist.waves import send_due_offers
from tests import builders
from tests.conftest import BASE_URL, T0

FREED = T0 + timedelta(days=2, hours=1)  # Wednesday 10:00 in New York
NEXT_WEEK = T0 + timedelta(days=7)  # Monday 9:00 in New York


@pytest.fixture
def practice(store):
    store.save_settings(PracticeSettings(display_name="Riverbend Counseling"))
    t = builders.therapist()
    store.add_therapist(t, builders.weekday_availability())
    return t


def add_client(deps, t, n, start, phone=True):
    c = builders.client(cid=f"cli{n:03d}", tid=t.id, first_name=f"Sam{n}",
                        phone=f"+1202555{n:04d}" if phone else "")
    deps.store.add_client(c)
    a = booking.record_booking(deps, t, c, start, Mode.TELE, actor=Actor.system("test")) if start else None
    return c, a


def waitlisted(deps, t, count):
    """``count`` clients with sessions next week, each on the list; later sessions gain most."""
    found = []
    for n in range(count):
        c, a = add_client(deps, t, n + 1, NEXT_WEEK + timedelta(days=n % 5, hours=n // 5))
        ctx = deps.store.load_context(a.id, c.id, t.id)
        waitlist.join(deps, ctx, WaitlistPrefs())
        found.append((c, a))
    return found


def cancel_freed(deps, t):
    c, a = add_client(deps, t, 99, FREED)
    ctx = deps.store.load_context(a.id, c.id, t.id)
    booking.cancel(deps, ctx, a.version, actor=Actor.client())
    return a


def offer_links(notifier):
    return [re.search(r"(https://\S+/o/\S+)", text).group(1) for _, _, text in notifier.of("sms")]


def test_a_cancel_offers_its_time_in_waves_after_the_grace_period(deps, store, clock, notifier, practice):
    waitlisted(deps, practice, 5)
    cancel_freed(deps, practice)
    notifier.sent.clear()
    assert send_due_offers(deps)["sent"] == 0  # the grace period: an undo would offer nothing
    clock.advance(timedelta(minutes=3))
    assert send_due_offers(deps)["sent"] == 1
    first = [to for _, to, _ in notifier.of("sms")]
    assert len(first) == 3
    # The greatest gain first: the latest sessions (clients 5, 4, 3) hear of it first.
    assert first == ["+12025550005", "+12025550004", "+12025550003"]
    text = notifier.of("sms")[0][2]
    assert "Wed Mar 4, 10 AM EST (video)" in text and "Reply N" in text and len(text) <= 160
    clock.advance(timedelta(minutes=10))
    send_due_offers(deps)
    assert len(notifier.of("sms")) == 3  # the claim window is not over yet
    clock.advance(timedelta(minutes=5))
    send_due_offers(deps)
    assert [to for _, to, _ in notifier.of("sms")][3:] == ["+12025550002", "+12025550001"]


def test_the_first_claim_moves_the_later_session_and_withdraws_the_rest(deps, store, clock, notifier,
                                                                       practice):
    listed = waitlisted(deps, practice, 3)
    cancel_freed(deps, practice)
    clock.advance(timedelta(minutes=3))
    notifier.sent.clear()
    send_due_offers(deps)
    tokens = [link.removeprefix(BASE_URL + "/o/") for link in offer_links(notifier)]
    assert len(tokens) == 3
    winner = claims.claim(deps, tokens[1])
    assert winner.state == claims.MINE
    moved = store.get_appointment(listed[1][1].id)
    assert moved.start == FREED and moved.status is Status.CONFIRMED
    assert [e.action for e in store.audit_trail(moved.id)][-1] == "rescheduled"
    assert {m.for_start for m in store.messages_of(moved.id) if m.kind.startswith("r")} == {FREED}
    for token in (tokens[0], tokens[2]):
        later = claims.claim(deps, token)
        assert later.state == claims.TAKEN and later.other_times
    again = claims.read_offer(deps, tokens[1])
    assert again.state == claims.MINE  # a second tap shows the time is theirs
    opening = store.openings_of(practice.id, FREED, FREED)[0]
    assert opening.status == CLAIMED and opening.claimed_by == listed[1][0].id
    assert waitlist.entry_for(deps, listed[1][0].id) is None  # done: off the list
    # The claimant's old time is freed in turn, and offered in its own waves.
    assert len(store.openings_of(practice.id, listed[1][1].start, listed[1][1].start)) == 1


def test_undo_within_the_grace_period_offers_nothing(deps, store, clock, notifier, practice):
    waitlisted(deps, practice, 2)
    c, a = add_client(deps, practice, 50, FREED)
    ctx = store.load_context(a.id, c.id, practice.id)
    booking.reschedule(deps, ctx, FREED + timedelta(hours=2), a.version, actor=Actor.client())
    ctx = store.load_context(a.id, c.id, practice.id)
    booking.reschedule(deps, ctx, FREED, ctx.appointment.version, actor=Actor.client())
    notifier.sent.clear()
    clock.advance(timedelta(minutes=5))
    send_due_offers(deps)
    texts = [text for _, _, text in notifier.of("sms")]
    assert texts and not any("10 AM" in text for text in texts)  # only the 12 PM time it left


def test_a_client_with_no_session_is_booked_into_the_time(deps, store, clock, notifier, practice):
    c, _ = add_client(deps, practice, 7, None)
    waitlist.add_by_therapist(deps, practice.id, c)
    cancel_freed(deps, practice)
    clock.advance(timedelta(minutes=3))
    notifier.sent.clear()
    send_due_offers(deps)
    token = offer_links(notifier)[0].removeprefix(BASE_URL + "/o/")
    assert claims.claim(deps, token).state == claims.MINE
    booked = store.client_appointments(c.id, FREED, FREED)
    assert [a.status for a in booked] == [Status.CONFIRMED]


def test_offers_respect_the_cap_of_two_a_day_and_the_notice(deps, store, clock, notifier, practice):
    c, a = add_client(deps, practice, 1, NEXT_WEEK)
    ctx = store.load_context(a.id, c.id, practice.id)
    waitlist.join(deps, ctx, WaitlistPrefs(notice_hours=48))
    cancel_freed(deps, practice)  # 49 hours away: fits the notice
    for hour in (2, 3, 4):
        other, b = add_client(deps, practice, 60 + hour, FREED + timedelta(hours=hour))
        booking.cancel(deps, store.load_context(b.id, other.id, practice.id), b.version,
                       actor=Actor.client())
    notifier.sent.clear()
    clock.advance(timedelta(minutes=3))
    send_due_offers(deps)
    assert len(notifier.of("sms")) == 2  # four times fit; two offers a day


def test_leaving_stops_offers_and_expired_entries_are_ignored(deps, store, clock, notifier, practice):
    listed = waitlisted(deps, practice, 2)
    assert waitlist.leave(deps, listed[0][0].id) and not waitlist.leave(deps, listed[0][0].id)
    cancel_freed(deps, practice)
    clock.advance(timedelta(minutes=3))
    notifier.sent.clear()
    send_due_offers(deps)
    assert [to for _, to, _ in notifier.of("sms")] == [listed[1][0].phone]


# --- by text -----------------------------------------------------------------------------------
def test_yes_claims_a_standing_offer_and_otherwise_still_confirms(deps, store, clock, notifier, practice):
    from portal.services.messaging.sms_inbound import InboundSms, handle

    (c1, a1), (c2, a2) = waitlisted(deps, practice, 2)
    assert handle(deps, InboundSms(c1.phone, "YES", message_id="y0")) == "confirmed"  # no offer yet
    cancel_freed(deps, practice)
    clock.advance(timedelta(minutes=3))
    send_due_offers(deps)
    notifier.sent.clear()
    assert handle(deps, InboundSms(c2.phone, "Y", message_id="y1")) == "offer_claimed"
    assert store.get_appointment(a2.id).start == FREED
    assert "Your session is now Wed Mar 4, 10 AM EST" in notifier.of("sms")[-1][2]
    assert handle(deps, InboundSms(c1.phone, "yes", message_id="y2")) == "offer_taken"
    assert store.get_appointment(a1.id).start == a1.start


def test_n_stops_offers(deps, store, clock, notifier, practice):
    from portal.services.messaging.sms_inbound import InboundSms, handle

    (c1, _), = waitlisted(deps, practice, 1)
    assert handle(deps, InboundSms(c1.phone, "N", message_id="n1")) == "offers_stopped"
    assert store.waitlist_entry(c1.id) is None
    assert handle(deps, InboundSms(c1.phone, "N", message_id="n2")) == "inbox"  # nothing to stop


def test_figures_count_freed_offered_refilled_and_the_medians(deps, store, clock, notifier, practice):
    listed = waitlisted(deps, practice, 2)
    cancel_freed(deps, practice)
    clock.advance(timedelta(minutes=3))
    notifier.sent.clear()
    send_due_offers(deps)
    clock.advance(timedelta(minutes=7))
    token = offer_links(notifier)[0].removeprefix(BASE_URL + "/o/")
    assert claims.claim(deps, token).state == claims.MINE
    shown = waitlist.figures_for(deps, practice)
    # Two freed (the cancel, then the claimant's old time), one offered, one refilled.
    assert (shown.freed, shown.offered, shown.refilled, shown.refill_rate) == (2, 1, 1, 1.0)
    assert shown.median_minutes_to_refill == 10
    gained = (max(a.start for _, a in listed) - FREED).total_seconds() / 86400
    assert abs(shown.median_days_gained - gained) < 0.01


# --- time the therapist's hours open (issue 11 item 2) ------------------------------------------
def _hours(store, t, **changes):
    from dataclasses import replace

    return replace(store.get_availability(t.id), **changes)


def _week_off():
    from datetime import date

    from portal.domain.model import TimeOff

    return (TimeOff(date(2026, 3, 3), date(2026, 3, 6), "away"),)  # Tuesday to Friday


def test_time_off_taken_back_offers_the_earliest_times_it_opens(deps, store, clock, notifier, practice):
    from portal.domain.waitlist import HOURS
    from portal.services.sessions import hours
    from portal.services.waitlist.new_hours import MAX_OPENINGS

    waitlisted(deps, practice, 4)
    hours.save_availability(deps, practice, _hours(store, practice, time_off=_week_off()), practice)
    assert store.openings_of(practice.id, T0, T0 + timedelta(days=7)) == []  # time off frees nothing
    hours.save_availability(deps, practice, _hours(store, practice, time_off=()), practice)
    openings = sorted(store.openings_of(practice.id, T0, T0 + timedelta(days=7)), key=lambda o: o.start)
    assert len(openings) == MAX_OPENINGS and {o.reason for o in openings} == {HOURS}
    assert openings[0].start >= T0 + timedelta(hours=24)  # the entries' notice
    assert openings[0].start < T0 + timedelta(days=2)  # the earliest: on Tuesday
    assert all(a.end + timedelta(minutes=practice.buffer_minutes) <= b.start
               for a, b in zip(openings, openings[1:]))  # never two offers for one hour
    notifier.sent.clear()
    send_due_offers(deps)
    assert offer_links(notifier) == []  # the grace period first
    clock.advance(timedelta(minutes=3))
    send_due_offers(deps)
    assert offer_links(notifier) and store.get_opening(openings[0].id).wave == 1
    # Saving the same hours again plans nothing more.
    hours.save_availability(deps, practice, _hours(store, practice), practice)
    assert len(store.openings_of(practice.id, T0, T0 + timedelta(days=7))) == MAX_OPENINGS


def test_time_off_put_back_within_the_grace_period_offers_nothing(deps, store, clock, notifier, practice):
    from portal.services.sessions import hours

    waitlisted(deps, practice, 3)
    hours.save_availability(deps, practice, _hours(store, practice, time_off=_week_off()), practice)
    hours.save_availability(deps, practice, _hours(store, practice, time_off=()), practice)
    hours.save_availability(deps, practice, _hours(store, practice, time_off=_week_off()), practice)
    clock.advance(timedelta(minutes=3))
    notifier.sent.clear()
    send_due_offers(deps)
    assert offer_links(notifier) == []
    assert {o.status for o in store.openings_of(practice.id, T0, T0 + timedelta(days=7))} == {"closed"}


def test_a_new_window_is_offered_but_not_when_no_one_waits_or_the_form_is_stale(deps, store, practice):
    from portal.domain.errors import StaleVersion
    from portal.domain.model import AvailabilityWindow, Mode
    from portal.services.sessions import hours

    saturday = AvailabilityWindow(5, builders.time(10), builders.time(14), frozenset({Mode.TELE}))
    current = _hours(store, practice)
    hours.save_availability(deps, practice, _hours(store, practice, windows=current.windows + (saturday,)),
                            practice)
    assert store.openings_of(practice.id, T0, T0 + timedelta(days=14)) == []  # no one on the list
    waitlisted(deps, practice, 2)
    stale = _hours(store, practice, windows=current.windows + (saturday,))
    hours.save_availability(deps, practice, _hours(store, practice, windows=current.windows), practice)
    with pytest.raises(StaleVersion):
        hours.save_availability(deps, practice, stale, practice)
    assert store.openings_of(practice.id, T0, T0 + timedelta(days=14)) == []  # nothing half-written
    hours.save_availability(deps, practice, _hours(store, practice, windows=current.windows + (saturday,)),
                            practice)
    opened = store.openings_of(practice.id, T0, T0 + timedelta(days=14))
    assert opened and all(o.start.weekday() == 5 and o.modes == {Mode.TELE} for o in opened)
