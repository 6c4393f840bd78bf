"""Client-link use cases on the in-memory fakes: open, confirm, reschedule, switch, cancel, rebook."""
from dataclasses import replace
from datetime import time, timedelta

import pytest

from portal.domain.audit import Actor
from portal.domain.errors import SlotTaken, SlotUnavailable, StaleVersion, ValidationError
from portal.domain.model import Availability, AvailabilityWindow, Barrier, Mode, PracticeSettings, Status
from portal.links import LinkExpired, LinkInvalid
from portal.services.client import changes as actions
from portal.services.client import help_offers
from portal.services.sessions.booking import NOTE_MAX, book_open_time, record_booking
from tests import builders
from tests.conftest import T0

SOON = T0 + timedelta(hours=20)  # 20 hours away: inside the 24-hour late-cancel window
THU_10 = T0 + timedelta(days=3, hours=1)  # Thursday 10:00: outside the late-cancel window


def book(deps, t, c, start, mode=Mode.IN_PERSON, **kw):
    a = record_booking(deps, t, c, start, mode, actor=Actor.system("test"), location="14 Elm St", **kw)
    return deps.store.load_context(a.id, c.id, t.id)


@pytest.fixture
def practice(store):
    store.save_settings(PracticeSettings(display_name="Riverbend Counseling",
                                         contact_phone="+1 202-555-0100"))
    return builders.practice(store)


# --- opening a link ----------------------------------------------------------------------------
def test_a_link_opens_its_own_session_and_nothing_else(deps, practice, links):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    opened = actions.open_link(deps, links.token(ctx.appointment))
    assert opened.appointment == ctx.appointment and opened.client == c
    other = builders.client(cid="cli002", tid=t.id, first_name="Sam")
    deps.store.add_client(other)
    forged = replace(ctx.appointment, client_id=other.id)  # a genuine signature over another client
    with pytest.raises(actions.LinkNotFound):
        actions.open_link(deps, links.token(forged))
    with pytest.raises(LinkInvalid):
        # Tamper with the payload: the last base64 character of a signature carries spare
        # bits, so editing the tail can leave a valid signature by chance.
        token = links.token(ctx.appointment)
        actions.open_link(deps, ("b" if token[0] != "b" else "c") + token[1:])


def test_a_link_expires_a_week_after_its_session(deps, practice, links, clock):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    token = links.token(ctx.appointment)
    clock.set(ctx.appointment.end + timedelta(days=7, seconds=1))
    with pytest.raises(LinkExpired):
        actions.open_link(deps, token)


# --- what applies now --------------------------------------------------------------------------
def test_choices_follow_status_time_and_the_modes_offered(deps, practice, store, clock):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    now = clock.now()
    first = actions.choices(ctx, now)
    assert first.can_confirm and first.can_change and first.switch_to is Mode.TELE
    assert not first.late_cancel and not first.can_rebook
    assert actions.choices(ctx, THU_10 - timedelta(hours=3)).late_cancel
    past = actions.choices(ctx, THU_10 + timedelta(minutes=5))
    assert not past.can_change and not past.can_confirm and not past.upcoming
    store.save_availability(t.id, builders.weekday_availability(modes=frozenset({Mode.IN_PERSON})))
    in_person_only = store.load_context(ctx.appointment.id, c.id, t.id)
    assert actions.choices(in_person_only, now).switch_to is None


# --- confirm -----------------------------------------------------------------------------------
def test_confirm_writes_once_and_tells_the_client_once(deps, practice, store, notifier):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    after = actions.confirm(deps, ctx, ctx.appointment.version)
    assert after.status is Status.CONFIRMED and after.confirmed_via == "link"
    assert notifier.sent == []  # told after the grace period, in case there is more to tell
    builders.after_grace(deps)
    assert [s[0] for s in notifier.sent] == ["email", "sms"]
    again = store.load_context(after.id, c.id, t.id)
    assert actions.confirm(deps, again, again.appointment.version) is None
    assert actions.confirm(deps, again, 1) is None  # even from an old page: no second write
    assert store.get_appointment(after.id).version == after.version
    builders.after_grace(deps)
    assert len(notifier.sent) == 2
    trail = [(e.actor, e.action, e.via) for e in store.audit_trail(after.id)]
    assert trail.count(("client", "confirmed", "link")) == 1


def test_confirm_from_a_stale_page_is_refused(deps, practice):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    with pytest.raises(StaleVersion):
        actions.confirm(deps, ctx, ctx.appointment.version + 1)


def test_a_started_session_cannot_be_changed(deps, practice, clock):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    clock.set(THU_10 + timedelta(minutes=1))
    with pytest.raises(ValidationError, match="already started"):
        actions.confirm(deps, ctx, ctx.appointment.version)


# --- reschedule --------------------------------------------------------------------------------
def test_reschedule_moves_the_session_reminders_and_audit_in_one_change(deps, practice, store, notifier):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    old_keys = {m.key for m in store.messages_of(ctx.appointment.id)}
    new_start = THU_10 + timedelta(days=1)  # Friday 10:00
    after = actions.reschedule(deps, ctx, new_start, ctx.appointment.version)
    assert after.start == new_start and after.version == ctx.appointment.version + 1
    stored = [m for m in store.messages_of(after.id) if m.is_reminder]
    assert stored and {m.for_start for m in stored} == {new_start}
    assert not old_keys & {m.key for m in stored}
    moved = [e for e in store.audit_trail(after.id) if e.action == "rescheduled"]
    assert [(e.actor, e.via) for e in moved] == [("client", "link")]
    builders.after_grace(deps)
    sms = notifier.of("sms")[-1][2]
    assert "Fri Mar 6, 10 AM EST" in sms and "https://portal.test/a/" in sms
    # The old time is free again: another client can take it.
    other = builders.client(cid="cli002", tid=t.id)
    store.add_client(other)
    book_open_time(deps, t, other, THU_10, Mode.TELE, actor=Actor.client("test"))


def test_reschedule_commits_without_reading_the_calendar(deps, practice, store, monkeypatch):
    t, c = practice
    ctx = book(deps, t, c, THU_10)

    def no_query(*args, **kwargs):
        raise AssertionError("the claim in the transaction settles taken times; no Query needed")

    monkeypatch.setattr(store, "therapist_appointments", no_query)
    actions.reschedule(deps, ctx, THU_10 + timedelta(hours=2), ctx.appointment.version)


def test_reschedule_into_a_taken_time_changes_nothing(deps, practice, store, notifier):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    other = builders.client(cid="cli002", tid=t.id)
    store.add_client(other)
    taken = THU_10 + timedelta(hours=2)
    book(deps, t, other, taken)
    with pytest.raises(SlotTaken):
        actions.reschedule(deps, ctx, taken, ctx.appointment.version)
    assert store.get_appointment(ctx.appointment.id) == ctx.appointment
    builders.after_grace(deps)  # no notice was written either
    assert notifier.sent == []


def test_reschedule_refuses_a_time_that_is_not_offered(deps, practice):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    for bad in (THU_10 + timedelta(hours=12),  # 22:00, outside the window
                THU_10 + timedelta(minutes=25),  # off the grid of session + buffer
                THU_10 - timedelta(days=3)):  # inside the minimum notice
        with pytest.raises(SlotUnavailable):
            actions.reschedule(deps, ctx, bad, ctx.appointment.version)


def test_reschedule_keeps_video_where_offered_and_takes_the_offered_mode_elsewhere(deps, store, clock):
    t = builders.therapist()
    store.add_therapist(t, Availability(windows=(
        AvailabilityWindow(3, time(9), time(12)),
        AvailabilityWindow(4, time(9), time(12), frozenset({Mode.IN_PERSON})))))
    c = builders.client(tid=t.id)
    store.add_client(c)
    ctx = book(deps, t, c, THU_10, Mode.TELE)
    assert ctx.appointment.join_url == "https://meet.test/maya"
    moved = actions.reschedule(deps, ctx, THU_10 + timedelta(days=1), ctx.appointment.version)
    assert moved.mode is Mode.IN_PERSON and moved.join_url == ""


# --- switch mode -------------------------------------------------------------------------------
def test_switch_to_video_gives_a_join_link_and_says_so(deps, practice, store, notifier):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    after = actions.switch_mode(deps, ctx, Mode.TELE, ctx.appointment.version)
    assert after.mode is Mode.TELE and after.join_url == t.tele_room_url
    builders.after_grace(deps)
    email = notifier.of("email")[-1][2]
    assert t.tele_room_url in email.text and t.tele_room_url in email.html
    assert t.tele_room_url.encode() in email.attachments[0].data
    back = actions.switch_mode(deps, store.load_context(after.id, c.id, t.id), Mode.IN_PERSON, after.version)
    assert back.mode is Mode.IN_PERSON and back.location == "14 Elm St" and back.join_url == ""


def test_switch_to_a_mode_not_offered_at_that_time_is_refused(deps, practice, store):
    t, c = practice
    store.save_availability(t.id, builders.weekday_availability(modes=frozenset({Mode.IN_PERSON})))
    ctx = book(deps, t, c, THU_10)
    with pytest.raises(SlotUnavailable, match="doesn't offer"):
        actions.switch_mode(deps, ctx, Mode.TELE, ctx.appointment.version)


def test_a_join_link_made_from_the_practice_template(deps, store):
    store.save_settings(PracticeSettings(tele_link_template="https://video.test/room-{appointment_id}"))
    t = builders.therapist(tele_room_url="")
    store.add_therapist(t, builders.weekday_availability())
    c = builders.client(tid=t.id)
    store.add_client(c)
    ctx = book(deps, t, c, THU_10)
    after = actions.switch_mode(deps, ctx, Mode.TELE, ctx.appointment.version)
    assert after.join_url == f"https://video.test/room-{after.id}"


# --- cancel ------------------------------------------------------------------------------------
def test_cancel_keeps_the_barrier_and_note_and_tells_therapist_and_client(deps, practice, store, notifier):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    after = actions.cancel(deps, ctx, ctx.appointment.version, Barrier.TRANSPORT, "  Bus strike <b>  ")
    assert after.status is Status.CANCELLED
    stored = store.get_appointment(after.id)
    assert stored.barrier is Barrier.TRANSPORT and stored.note == "Bus strike <b>"
    [item] = store.inbox(t.id)
    assert (item.kind, item.barrier, item.text, item.appointment_id) == \
        ("barrier", Barrier.TRANSPORT, "Bus strike <b>", after.id)
    assert store.messages_of(after.id) == []  # no reminders for a cancelled session
    [audit] = [e for e in store.audit_trail(after.id) if e.action == "cancelled"]
    assert (audit.actor, audit.via, audit.detail) == ("client", "link", {"late": False, "barrier": "transport"})
    to_therapist = [s[2] for s in notifier.of("email") if s[1] == t.email]
    assert len(to_therapist) == 1
    assert "Alex R." in to_therapist[0].text and f"/t/appointments/{after.id}" in to_therapist[0].text
    for private in ("Getting there", "transport", "Bus strike"):  # on the signed-in page only
        assert private not in to_therapist[0].subject + to_therapist[0].text
    to_client = [s[2] for s in notifier.of("email") if s[1] == c.email]
    assert to_client and "/rebook" in to_client[0].text
    assert b"STATUS:CANCELLED" in to_client[0].attachments[0].data


def test_cancel_inside_the_window_is_late(deps, practice, store):
    t, c = practice
    ctx = book(deps, t, c, SOON)
    after = actions.cancel(deps, ctx, ctx.appointment.version)
    assert after.status is Status.LATE_CANCELLED
    assert store.inbox(t.id) == []  # nothing said, nothing for the inbox


def test_a_note_alone_goes_to_the_inbox_as_a_note(deps, practice, store):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    actions.cancel(deps, ctx, ctx.appointment.version, None, "Sorry, I'll call you")
    [item] = store.inbox(t.id)
    assert item.kind == "note" and item.barrier is None


def test_a_note_too_long_is_refused_and_nothing_is_stored(deps, practice, store, notifier):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    with pytest.raises(ValidationError, match="under 500"):
        actions.cancel(deps, ctx, ctx.appointment.version, Barrier.COST, "x" * (NOTE_MAX + 1))
    assert store.get_appointment(ctx.appointment.id) == ctx.appointment
    builders.after_grace(deps)
    assert store.inbox(t.id) == [] and notifier.sent == []


def test_a_failed_send_leaves_the_change_made(deps, practice, store, notifier):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    notifier.throttle = lambda channel: True
    after = actions.cancel(deps, ctx, ctx.appointment.version, Barrier.SCHEDULE)
    assert store.get_appointment(after.id).status is Status.CANCELLED


# --- help for the barrier ----------------------------------------------------------------------
def evening_practice(store):
    t = builders.therapist()
    store.add_therapist(t, Availability(windows=(
        AvailabilityWindow(3, time(9), time(12)),
        AvailabilityWindow(1, time(17), time(20)),
        AvailabilityWindow(5, time(9), time(11), frozenset({Mode.TELE})))))
    c = builders.client(tid=t.id)
    store.add_client(c)
    return t, c


def test_each_barrier_gets_its_own_offer(deps, store):
    store.save_settings(PracticeSettings(cost_text="Sliding scale from $20.", crisis_text="Call 988."))
    t, c = evening_practice(store)
    ctx = book(deps, t, c, THU_10)
    transport = help_offers.offer_for(deps, ctx, Barrier.TRANSPORT)
    assert transport.video_switch and not transport.slots
    schedule = help_offers.offer_for(deps, ctx, Barrier.SCHEDULE)
    labels = [set(s.labels(c.timezone)) for s in schedule.slots]
    assert schedule.slots and all(label & {"Evening", "Weekend"} for label in labels)
    cost = help_offers.offer_for(deps, ctx, Barrier.COST)
    assert cost.resources == "Sliding scale from $20." and cost.keep
    anxiety = help_offers.offer_for(deps, ctx, Barrier.ANXIETY)
    assert anxiety.keep and anxiety.video_switch and "your own pace" in anxiety.message
    illness = help_offers.offer_for(deps, ctx, Barrier.ILLNESS)
    assert illness.crisis and illness.equal_choices and illness.video_switch and illness.reschedule
    other = help_offers.offer_for(deps, ctx, None)
    assert other.reschedule and not other.resources


def test_transport_without_video_at_that_time_offers_video_times(deps, store):
    t, c = evening_practice(store)
    # Tuesday evening window offers both; make Thursday in person only.
    store.save_availability(t.id, Availability(windows=(
        AvailabilityWindow(3, time(9), time(12), frozenset({Mode.IN_PERSON})),
        AvailabilityWindow(5, time(9), time(11), frozenset({Mode.TELE})))))
    ctx = book(deps, t, c, THU_10)
    offer = help_offers.offer_for(deps, ctx, Barrier.TRANSPORT)
    assert not offer.video_switch and offer.slots_mode is Mode.TELE
    assert offer.slots and all(Mode.TELE in s.modes for s in offer.slots)


# --- rebook ------------------------------------------------------------------------------------
def test_rebook_after_a_cancel_books_once_with_the_same_therapist(deps, practice, store, notifier):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    cancelled = actions.cancel(deps, ctx, ctx.appointment.version, Barrier.ILLNESS)
    closed = store.load_context(cancelled.id, c.id, t.id)
    new_start = THU_10 + timedelta(days=4)  # next Monday, 11:00 once the clocks have gone forward
    booked, created = actions.rebook(deps, closed, new_start)
    assert created and booked.therapist_id == t.id and booked.client_id == c.id
    assert booked.start == new_start and booked.status is Status.CONFIRMED  # they chose it
    assert [(e.actor, e.action, e.via) for e in store.audit_trail(booked.id)] == [("client", "booked", "link")]
    assert "cancelled" in notifier.of("sms")[-1][2]  # a cancel is told at once; the booking waits
    builders.after_grace(deps)
    assert "booked: Mon Mar 9, 11 AM EDT" in notifier.of("sms")[-1][2]
    again, created_again = actions.rebook(deps, closed, new_start)  # a double tap
    assert again.id == booked.id and not created_again
    assert actions.rebooked_as(deps, closed).id == booked.id


def test_rebook_is_for_closed_sessions_only(deps, practice):
    t, c = practice
    ctx = book(deps, t, c, THU_10)
    with pytest.raises(ValidationError):
        actions.rebook(deps, ctx, THU_10 + timedelta(days=1))
