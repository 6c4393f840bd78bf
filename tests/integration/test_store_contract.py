"""One contract, two stores: the in-memory fake and DynamoDB (moto, server mode).

Whatever the fake promises here, the real store is held to as well, so unit tests
on the fake can be trusted.
"""
from dataclasses import replace
from datetime import timedelta

import pytest

from portal.adapters.store import Store
from portal.adapters.tables.memory import MemoryTable
from portal.domain.audit import AuditEvent
from portal.domain.checkins import CheckIn
from portal.domain.errors import SlotTaken, StaleVersion, ValidationError
from portal.domain.messages import CLAIMED, FOLLOWUP, PENDING, SENT, PendingMessage
from portal.domain.model import Appointment, Channel, Mode, PracticeSettings, Status
from portal.interfaces import AppointmentChange, InboundClaim, SendingRead
from tests import builders
from tests.conftest import T0


@pytest.fixture(params=["memory", "dynamodb"])
def any_store(request, clock):
    if request.param == "memory":
        return Store(MemoryTable(), clock=clock)
    from tests.stack import deployed_container

    return deployed_container(request.getfixturevalue("moto_endpoint"), clock=clock).store


def appointment(aid="appt01", start=T0 + timedelta(days=2), minutes=50, **kw):
    values = dict(therapist_id="ther01", client_id="cli001", start=start,
                  end=start + timedelta(minutes=minutes), mode=Mode.IN_PERSON, location="Suite 2")
    values.update(kw)
    return Appointment(aid, **values)


def audit(aid, action="booked", at=T0):
    return AuditEvent(aid, at, "system", action, "test")


def book(store, appt, hold_minutes=10, messages=()):
    store.book(appt, appt.end + timedelta(minutes=hold_minutes), list(messages), audit(appt.id))


def test_settings_round_trip_and_version_guard(any_store):
    assert any_store.get_settings() == PracticeSettings()  # defaults before any save
    saved = any_store.save_settings(PracticeSettings(display_name="Riverbend"))
    assert saved.version == 1
    assert any_store.get_settings().display_name == "Riverbend"
    with pytest.raises(StaleVersion):
        any_store.save_settings(PracticeSettings(display_name="Stale"))  # version 0 again
    assert any_store.get_settings().display_name == "Riverbend"


def test_therapist_email_is_unique_and_found_case_insensitively(any_store):
    t, c = builders.practice(any_store)
    assert any_store.therapist_by_email(t.email.upper()) == t
    with pytest.raises(ValidationError):
        any_store.add_therapist(replace(t, id="other1"))
    assert [x.id for x in any_store.list_therapists()] == [t.id]
    assert any_store.get_client(c.id) == c
    assert any_store.list_clients(t.id) == [c]
    assert any_store.clients_by_phone(c.phone) == [c]
    with pytest.raises(ValidationError):
        any_store.add_client(replace(c, first_name="Other"))
    assert any_store.get_client(c.id) == c  # the refused add changed nothing


def test_availability_round_trip_with_version_guard(any_store):
    t, _ = builders.practice(any_store)
    current = any_store.get_availability(t.id)
    saved = any_store.save_availability(t.id, current)
    assert saved.version == current.version + 1
    assert any_store.get_availability(t.id) == saved
    with pytest.raises(StaleVersion):
        any_store.save_availability(t.id, current)
    therapist, availability = any_store.therapist_with_availability(t.id)
    assert therapist == t and availability == saved


def test_booking_claims_time_so_an_overlap_cannot_be_stored(any_store):
    builders.practice(any_store)
    first = appointment("appt01")
    book(any_store, first)
    overlapping = appointment("appt02", start=first.start + timedelta(minutes=30))
    with pytest.raises(SlotTaken):
        book(any_store, overlapping)
    assert any_store.get_appointment("appt02") is None  # a refused write leaves nothing behind
    # The buffer is held too: a start inside it is refused, one just after it is fine.
    with pytest.raises(SlotTaken):
        book(any_store, appointment("appt03", start=first.end + timedelta(minutes=5)))
    book(any_store, appointment("appt04", start=first.end + timedelta(minutes=10)))
    listed = any_store.therapist_appointments("ther01", T0, T0 + timedelta(days=5))
    assert [a.id for a in listed] == ["appt01", "appt04"]
    assert [a.id for a in any_store.client_appointments("cli001", T0, T0 + timedelta(days=5))] == \
        ["appt01", "appt04"]


def test_load_context_reads_everything_and_refuses_a_mismatched_client(any_store):
    t, c = builders.practice(any_store)
    appt = appointment()
    book(any_store, appt)
    ctx = any_store.load_context(appt.id, c.id, t.id)
    assert (ctx.appointment, ctx.client, ctx.therapist) == (appt, c, t)
    assert ctx.hold_end == appt.end + timedelta(minutes=10)
    assert any_store.load_context(appt.id, "someone", t.id) is None
    assert any_store.load_context("nope", c.id, t.id) is None


def _move(store, ctx, new_start):
    after = replace(ctx.appointment.moved_to(new_start))
    store.commit(AppointmentChange(
        before=ctx.appointment, after=after, before_message_keys=ctx.message_keys,
        before_hold_end=ctx.hold_end, after_hold_end=after.end + timedelta(minutes=10),
        messages=[], audit=audit(after.id, "rescheduled", T0 + timedelta(minutes=1))))
    return after


def test_commit_moves_time_releases_old_cells_and_guards_version(any_store):
    t, c = builders.practice(any_store)
    appt = appointment()
    book(any_store, appt)
    ctx = any_store.load_context(appt.id, c.id, t.id)
    moved = _move(any_store, ctx, appt.start + timedelta(minutes=30))  # overlaps its old time
    assert any_store.get_appointment(appt.id).start == moved.start
    # The old time is free again; the new one is held.
    book(any_store, appointment("appt09", start=appt.start - timedelta(minutes=60)))
    with pytest.raises(SlotTaken):
        book(any_store, appointment("appt10", start=moved.start))
    # A stale page (the version before the move) cannot undo the newer change.
    with pytest.raises(StaleVersion):
        _move(any_store, ctx, appt.start + timedelta(hours=3))
    assert any_store.get_appointment(appt.id).start == moved.start
    actions = [e.action for e in any_store.audit_trail(appt.id)]
    assert actions == ["booked", "rescheduled"]


def test_commit_refuses_a_taken_time_and_changes_nothing(any_store):
    t, c = builders.practice(any_store)
    appt = appointment()
    book(any_store, appt)
    blocker = appointment("appt02", start=appt.start + timedelta(hours=2), client_id="cli001")
    book(any_store, blocker)
    ctx = any_store.load_context(appt.id, c.id, t.id)
    with pytest.raises(SlotTaken):
        _move(any_store, ctx, blocker.start)
    assert any_store.get_appointment(appt.id) == appt


def test_messages_sit_in_the_due_index_until_sent_and_are_claimed_once(any_store, clock):
    builders.practice(any_store)
    appt = appointment()
    due = appt.start - timedelta(hours=24)
    message = PendingMessage(appt.id, "r24", Channel.EMAIL, due, for_start=appt.start)
    book(any_store, appt, messages=[message])
    found = any_store.messages_due("", due, due)
    assert found == [message]
    assert any_store.messages_due("", due, due - timedelta(minutes=1)) == []
    assert any_store.messages_due(FOLLOWUP, due, due) == []  # another lane's buckets
    assert any_store.claim_message(message, due, due + timedelta(minutes=5))
    assert not any_store.claim_message(message, due, due + timedelta(minutes=5))  # a second run
    # A lease that ran out (a run that died) can be taken over.
    later = due + timedelta(minutes=6)
    assert any_store.claim_message(message, later, later + timedelta(minutes=5))
    claimed = any_store.messages_of(appt.id)[0]
    assert claimed.status == CLAIMED
    any_store.finish_message(claimed, SENT, "provider-123")
    assert any_store.messages_due("", due, later) == []  # sparse: gone from the index
    stored = any_store.messages_of(appt.id)[0]
    assert (stored.status, stored.provider_id) == (SENT, "provider-123")
    assert not any_store.claim_message(message, later + timedelta(hours=1), later)
    assert any_store.messages_of(appt.id)[0].status == SENT  # a refused claim changed nothing


def test_a_released_message_returns_to_the_index_at_its_new_time(any_store):
    builders.practice(any_store)
    appt = appointment()
    due = appt.start - timedelta(hours=24)
    message = PendingMessage(appt.id, "r24", Channel.SMS, due, for_start=appt.start)
    book(any_store, appt, messages=[message])
    assert any_store.claim_message(message, due, due + timedelta(minutes=5))
    [claimed] = any_store.messages_due("", due, due)  # claimed: still indexed, for a takeover
    assert claimed.status == CLAIMED
    later = due + timedelta(hours=2)  # given back, deferred past quiet hours
    assert any_store.release_message(replace(message, due_at=later))
    assert any_store.messages_due("", due, later) == []
    [back] = any_store.messages_due("", later, later)
    assert (back.status, back.due_at) == (PENDING, later)
    gone = replace(message, appointment_id="nothing")
    assert not any_store.release_message(gone) and not any_store.finish_message(gone, SENT)


def test_a_one_off_message_is_scheduled_once(any_store):
    due = T0 + timedelta(hours=2)
    message = PendingMessage("appt01", FOLLOWUP, Channel.EMAIL, due, detail={"client": "cli001"})
    assert any_store.put_message(message)
    assert not any_store.put_message(replace(message, due_at=due + timedelta(hours=1)))
    assert any_store.messages_due(FOLLOWUP, due, due) == [message]
    assert any_store.messages_due("", due, due) == []  # not in the reminders lane


def test_a_sending_run_rereads_sessions_clients_and_therapists_at_once(any_store):
    t, c = builders.practice(any_store)
    appt = appointment()
    book(any_store, appt)
    read = any_store.read_for_sending([appt.id, "gone"], [c.id], [t.id])
    assert read == SendingRead({appt.id: appt}, {c.id: c}, {t.id: t})
    assert any_store.read_for_sending() == SendingRead({}, {}, {})


def test_sign_in_counters_are_atomic_and_keep_their_first_expiry(any_store):
    assert any_store.count_attempt("acct", "Maya@x.test", 7, 1, expires_at=100) == 1
    assert any_store.count_attempt("acct", "maya@x.test ", 7, 2, expires_at=200) == 3
    assert any_store.count_attempt("acct", "maya@x.test", 8, 1, expires_at=300) == 1  # a new window
    assert any_store.count_attempt("ip", "maya@x.test", 7, 1, expires_at=100) == 1  # another scope
    from portal.adapters.codec import keys

    stored = any_store.table.get(*keys.throttle_key("acct", "maya@x.test", 7))
    assert (stored["failures"], stored["expires_at"]) == (3, 100)  # TTL: the window's end


def test_cursors_remember_where_each_lane_left_off(any_store):
    assert any_store.cursor("") is None
    any_store.set_cursor("", T0)
    any_store.set_cursor(FOLLOWUP, T0 - timedelta(hours=3))
    assert any_store.cursor("") == T0
    assert any_store.cursor(FOLLOWUP) == T0 - timedelta(hours=3)
    assert any_store.cursor("checkin-plan") is None
    any_store.set_cursor("", T0 + timedelta(hours=1))
    assert any_store.cursor("") == T0 + timedelta(hours=1)


ONCE_ONLY = {
    "daily text": (lambda s, o: s.claim_daily_text("cli001", T0.date(), o, 2**40),
                   lambda s, o: s.finish_daily_text("cli001", T0.date(), o, 2**40)),
    "check-in": (lambda s, o: s.claim_checkin_message("appt02", "appt01", o),
                 lambda s, o: s.finish_checkin_message("appt02", "appt01", o, 2**40)),
    "follow-up": (lambda s, o: s.claim_followup("appt01", o),
                  lambda s, o: s.finish_followup("appt01", o, 2**40)),
    "digest": (lambda s, o: s.claim_digest("ther01", T0.date(), o),
               lambda s, o: s.finish_digest("ther01", T0.date(), o, 2**40)),
}


@pytest.mark.parametrize("kind", sorted(ONCE_ONLY))
def test_once_only_things_are_held_by_one_owner_and_done_once(any_store, kind):
    claim, finish = ONCE_ONLY[kind]
    assert claim(any_store, "run-a")
    assert claim(any_store, "run-a")  # the same owner again (a retried send)
    assert not claim(any_store, "run-b")  # anyone else: taken
    finish(any_store, "run-a")
    assert not claim(any_store, "run-a") and not claim(any_store, "run-b")  # done: never again


def test_each_once_only_record_is_its_own(any_store):
    """Another client's day, another gap, another session, another day: each is separate."""
    from datetime import date

    day = T0.date()
    assert any_store.claim_daily_text("cli001", day, "a", 2**40)
    assert any_store.claim_daily_text("cli002", day, "b", 2**40)
    assert any_store.claim_daily_text("cli001", date(2026, 3, 3), "c", 2**40)
    assert any_store.claim_checkin_message("appt02", "appt01", "a")
    assert any_store.claim_checkin_message("appt03", "appt02", "b")
    assert any_store.claim_followup("appt01", "a") and any_store.claim_followup("appt02", "b")
    assert any_store.claim_digest("ther01", day, "a") and any_store.claim_digest("ther02", day, "b")


def test_a_released_digest_can_be_tried_again_but_not_a_sent_one(any_store):
    day = T0.date()
    assert any_store.claim_digest("ther01", day, "run-a")
    any_store.release_digest("ther01", day, "run-b")  # not theirs: nothing happens
    assert not any_store.claim_digest("ther01", day, "run-c")
    any_store.release_digest("ther01", day, "run-a")
    assert any_store.claim_digest("ther01", day, "run-c")
    any_store.finish_digest("ther01", day, "run-c", 2**40)
    any_store.release_digest("ther01", day, "run-c")  # too late: it went out
    assert not any_store.claim_digest("ther01", day, "run-d")


def test_check_in_answers_are_kept_and_the_latest_read_per_client(any_store):
    first = CheckIn(T0, 4, None, "")
    assert any_store.record_checkin("cli001", first, "appt01", "ther01")
    assert not any_store.record_checkin("cli001", replace(first, score=1), "appt01", "ther01")  # same second
    newer = CheckIn(T0 + timedelta(days=1), 2, "transport", "the bus changed")
    assert any_store.record_checkin("cli001", newer, "appt02", "ther01")
    assert any_store.record_checkin("cli002", first, "appt03", "ther01")
    assert any_store.latest_checkins(["cli001", "cli002", "cli003", "cli001"]) == \
        {"cli001": newer, "cli002": first}
    assert any_store.latest_checkins([]) == {}


def test_an_inbound_message_is_locked_completed_or_abandoned(any_store):
    lock = timedelta(seconds=60)

    def begin(owner, at=T0):
        return any_store.begin_inbound("sms", "in-1", owner, at, at + lock, 2**40)

    assert begin("run-a") is InboundClaim.STARTED
    assert begin("run-b") is InboundClaim.BUSY  # held, not expired
    any_store.abandon_inbound("sms", "in-1", "run-b")  # not its lock: nothing happens
    assert begin("run-b") is InboundClaim.BUSY
    any_store.abandon_inbound("sms", "in-1", "run-a")  # the work failed: the retry starts afresh
    assert begin("run-c") is InboundClaim.STARTED
    any_store.complete_inbound("sms", "in-1", "run-c", 2**40)
    assert begin("run-d") is InboundClaim.DONE
    assert begin("run-d", T0 + timedelta(days=1)) is InboundClaim.DONE  # no lock left to expire
    # Sources are apart: an SES event with the same id is a different message.
    assert any_store.begin_inbound("ses", "in-1", "run-e", T0, T0 + lock, 2**40) is InboundClaim.STARTED


def test_an_expired_inbound_lock_is_taken_over(any_store):
    lock = timedelta(seconds=60)
    assert any_store.begin_inbound("ses", "m-1", "crashed", T0, T0 + lock, 2**40) is InboundClaim.STARTED
    at_expiry = T0 + lock
    assert any_store.begin_inbound("ses", "m-1", "next", at_expiry, at_expiry + lock, 2**40) \
        is InboundClaim.BUSY  # not yet: the lock holds until it has run out
    later = T0 + lock + timedelta(seconds=1)
    assert any_store.begin_inbound("ses", "m-1", "next", later, later + lock, 2**40) is InboundClaim.STARTED
    any_store.abandon_inbound("ses", "m-1", "crashed")  # the crashed run's late clean-up
    assert any_store.begin_inbound("ses", "m-1", "third", later, later + lock, 2**40) is InboundClaim.BUSY


def test_inbox_is_newest_first_and_items_can_be_marked_handled(any_store):
    from portal.domain.model import Barrier, InboxItem

    older = InboxItem("ther01", T0, "barrier", "cli001", "appt01", Barrier.COST, "money is tight", id="i1")
    newer = InboxItem("ther01", T0 + timedelta(hours=1), "note", "cli001", text="running late", id="i2")
    any_store.add_inbox(older)
    builders.practice(any_store)
    appt = appointment()  # an inbox item written in the same transaction as a change
    any_store.book(appt, appt.end, [], audit(appt.id), extra=[any_store.inbox_record(newer)])
    assert [i.id for i in any_store.inbox("ther01")] == ["i2", "i1"]
    any_store.mark_inbox_handled(older)
    assert [i.handled for i in any_store.inbox("ther01")] == [False, True]
    assert any_store.inbox("other") == []


def test_clients_are_found_by_email_address(any_store):
    t, c = builders.practice(any_store)
    assert any_store.clients_by_email(c.email.upper()) == [c]
    moved = replace(c, email="new@example.com")
    any_store.update_client(moved)
    assert any_store.clients_by_email(c.email) == []  # the old address no longer leads to them
    assert any_store.clients_by_email("new@example.com") == [moved]
    assert any_store.clients_by_email("nobody@example.com") == []


def test_an_impossible_version_is_stale_not_an_error(any_store):
    t, _ = builders.practice(any_store)
    huge = 10 ** 42  # more digits than a DynamoDB number holds
    with pytest.raises(StaleVersion):
        any_store.save_settings(replace(PracticeSettings(), version=huge))
    with pytest.raises(StaleVersion):
        any_store.save_availability(t.id, replace(any_store.get_availability(t.id), version=huge))
    with pytest.raises(StaleVersion):
        any_store.save_availability(t.id, replace(any_store.get_availability(t.id), version=-1))


def test_past_sessions_are_recorded_once_without_holding_time(any_store):
    t, c = builders.practice(any_store)
    past = appointment("past01", start=T0 - timedelta(days=7), status=Status.ATTENDED)
    assert any_store.record_past_session(past, audit(past.id, "seeded"))
    assert not any_store.record_past_session(past, audit(past.id, "seeded"))
    assert any_store.get_appointment("past01") == past
    assert [e.action for e in any_store.audit_trail("past01")] == ["seeded"]
    assert [a.id for a in any_store.client_appointments(c.id, T0 - timedelta(days=8), T0)] == ["past01"]


def test_a_therapists_edit_cannot_undo_a_clients_stop(any_store):
    t, c = builders.practice(any_store)
    seen_by_therapist = any_store.get_client(c.id)
    any_store.set_client_flags(c.id, sms_opted_out=True)  # a STOP text lands meanwhile
    any_store.update_client(replace(seen_by_therapist, first_name="Alexandra", phone=""))
    stored = any_store.get_client(c.id)
    assert stored.first_name == "Alexandra" and stored.sms_opted_out
    assert any_store.clients_by_phone(c.phone) == []  # the removed number left the phone index
    with pytest.raises(ValueError):
        any_store.set_client_flags(c.id, first_name="x")
    from portal.domain.errors import NotFound

    with pytest.raises(NotFound):
        any_store.set_client_flags("nobody", sms_opted_out=True)


def test_a_profile_edit_cannot_put_back_a_password_reset_meanwhile(any_store):
    t, _ = builders.practice(any_store, t=builders.therapist(password_hash="old-hash"))
    seen = any_store.get_therapist(t.id)
    any_store.set_password_hash(t.id, "new-hash")  # an admin's reset lands meanwhile
    any_store.update_therapist(replace(seen, buffer_minutes=15))
    stored = any_store.get_therapist(t.id)
    assert (stored.password_hash, stored.buffer_minutes) == ("new-hash", 15)
    with pytest.raises(ValidationError):
        any_store.update_therapist(replace(seen, email="other@practice.test"))
    assert any_store.therapist_by_email(t.email).id == t.id


def test_a_sent_message_is_found_by_its_provider_id_and_its_outcome_only_rises(any_store):
    builders.practice(any_store)
    appt = appointment(client_label="Alex R.")
    due = appt.start - timedelta(hours=24)
    message = PendingMessage(appt.id, "r24", Channel.EMAIL, due, for_start=appt.start,
                             detail={"client": "cli001"})
    book(any_store, appt, messages=[message])
    assert any_store.claim_message(message, due, due + timedelta(minutes=5))
    assert any_store.sent_message("ses-1") is None
    assert any_store.finish_message(any_store.messages_of(appt.id)[0], SENT, "ses-1")
    ref = any_store.sent_message("ses-1")
    assert (ref.appointment_id, ref.message_key, ref.client_id, ref.channel) == (
        appt.id, message.key, "cli001", "email")
    assert any_store.record_delivery(ref, "delivered")
    assert any_store.record_delivery(ref, "complained")
    assert not any_store.record_delivery(ref, "delivered")  # never lowered
    events, messages = any_store.history_and_messages(appt.id)
    assert [e.action for e in events] == ["booked"]
    assert [(m.key, outcome) for m, outcome in messages] == [(message.key, "complained")]
    assert any_store.get_appointment(appt.id).client_label == "Alex R."


def test_an_outcome_for_a_message_that_is_gone_changes_nothing(any_store):
    from portal.domain.delivery import SentRef

    assert not any_store.record_delivery(SentRef("nope", "r24#email#-", "cli001", "email"), "bounced")
    assert any_store.history_and_messages("nope") == ([], [])


def test_the_calendar_feed_key_and_sessions_come_in_one_query(any_store):
    builders.practice(any_store)
    book(any_store, appointment("appt01"))
    book(any_store, appointment("appt02", start=T0 + timedelta(days=40)))
    assert any_store.feed_key("ther01") == ""
    key, ahead = any_store.feed_sessions("ther01", T0)
    assert key == "" and [a.id for a in ahead] == ["appt01", "appt02"]  # no key yet, sessions still
    any_store.set_feed_key("ther01", "key1")
    key, sessions = any_store.feed_sessions("ther01", T0)
    assert key == "key1" and [a.id for a in sessions] == ["appt01", "appt02"]
    any_store.set_feed_key("ther01", "key2")
    assert any_store.feed_key("ther01") == "key2"
    # The key never shows up as a session in the calendar's own reads.
    assert [a.id for a in any_store.therapist_appointments("ther01", T0, T0 + timedelta(days=400))] == [
        "appt01", "appt02"]


def test_the_unreachable_flag_is_the_events_alone(any_store):
    _, client = builders.practice(any_store)
    any_store.set_client_flags(client.id, sms_unreachable=True)
    any_store.update_client(replace(client, first_name="Alexandra"))  # a page read before
    stored = any_store.get_client(client.id)
    assert stored.sms_unreachable and stored.first_name == "Alexandra"


def _reassign(store, ctx, to_tid, messages=()):
    after = replace(ctx.appointment, therapist_id=to_tid, version=ctx.appointment.version + 1)
    store.commit(AppointmentChange(
        before=ctx.appointment, after=after, before_message_keys=ctx.message_keys,
        before_hold_end=ctx.hold_end, after_hold_end=after.end + timedelta(minutes=10),
        messages=list(messages), audit=audit(after.id, "reassigned", T0 + timedelta(minutes=1))))
    return after


def test_a_session_handed_to_another_therapist_moves_its_time_claims_in_one_transaction(any_store):
    t, c = builders.practice(any_store)
    other = builders.therapist(tid="ther02")
    any_store.add_therapist(other)
    appt = appointment()
    reminder = PendingMessage(appt.id, "r24", Channel.EMAIL, appt.start - timedelta(hours=24),
                              for_start=appt.start)
    book(any_store, appt, messages=[reminder])
    ctx = any_store.load_context(appt.id, c.id, t.id)
    rewritten = replace(reminder, kind="r2", channel=Channel.SMS, due_at=appt.start - timedelta(hours=2))
    after = _reassign(any_store, ctx, other.id, [rewritten])
    assert any_store.get_appointment(appt.id) == after
    assert [m.key for m in any_store.messages_of(appt.id)] == [rewritten.key]  # rewritten with it
    assert [e.action for e in any_store.audit_trail(appt.id)] == ["booked", "reassigned"]
    assert [a.id for a in any_store.therapist_appointments(other.id, T0, T0 + timedelta(days=7))] == [appt.id]
    assert any_store.therapist_appointments(t.id, T0, T0 + timedelta(days=7)) == []
    # The first therapist's time is free again; the new therapist's is held.
    book(any_store, appointment("appt03", start=appt.start))
    with pytest.raises(SlotTaken):
        book(any_store, appointment("appt04", start=appt.start, therapist_id=other.id))
    # An old link (made for the first therapist) still opens the session, now with the new one.
    assert any_store.load_context(appt.id, c.id, t.id).therapist.id == other.id
    # A stale page cannot hand it on again.
    with pytest.raises(StaleVersion):
        _reassign(any_store, ctx, t.id)


def test_a_handover_to_a_therapist_busy_then_is_refused_and_changes_nothing(any_store):
    t, c = builders.practice(any_store)
    other = builders.therapist(tid="ther02")
    any_store.add_therapist(other)
    appt = appointment()
    book(any_store, appt)
    book(any_store, appointment("appt05", start=appt.start + timedelta(minutes=30), therapist_id=other.id))
    ctx = any_store.load_context(appt.id, c.id, t.id)
    with pytest.raises(SlotTaken):
        _reassign(any_store, ctx, other.id)
    assert any_store.get_appointment(appt.id) == appt
    with pytest.raises(SlotTaken):  # the first therapist still holds the time
        book(any_store, appointment("appt06", start=appt.start))
    assert [e.action for e in any_store.audit_trail(appt.id)] == ["booked"]


def test_deactivation_is_one_attribute_a_profile_edit_cannot_undo(any_store):
    t, _ = builders.practice(any_store)
    seen = any_store.get_therapist(t.id)
    assert seen.active
    any_store.set_therapist_active(t.id, False, "fresh-key")
    any_store.update_therapist(replace(seen, buffer_minutes=15))  # an edit from a page read before
    stored = any_store.get_therapist(t.id)
    assert (stored.active, stored.session_key, stored.buffer_minutes) == (False, "fresh-key", 15)
    any_store.record_therapist_event(t.id, AuditEvent("", T0, "therapist:admin1", "deactivated", "workspace"))
    assert [e.action for e in any_store.therapist_events(t.id)] == ["deactivated"]
    assert any_store.therapist_with_availability(t.id)[0] == stored  # the event is not the profile
    any_store.set_therapist_active(t.id, True)
    assert any_store.get_therapist(t.id).active


def test_expired_items_read_as_absent_before_the_ttl_removes_them(any_store, clock):
    """DynamoDB's TTL deletes late: a marker, a sent-message lookup and an audit line past
    their expires_at still sit in the table, and the store treats them as gone."""
    from portal.domain.privacy import AccessEvent
    from portal.domain.retention import MARKER_DAYS, marker_expiry

    day = T0.date()
    assert any_store.claim_digest("ther01", day, "run-a")
    any_store.finish_digest("ther01", day, "run-a", marker_expiry(T0))
    appt = appointment()
    message = PendingMessage(appt.id, "r24", Channel.EMAIL, T0, detail={"client": "cli001"})
    book(any_store, appt, messages=[message])
    any_store.claim_message(message, T0, T0 + timedelta(minutes=5))
    assert any_store.finish_message(replace(message, status=CLAIMED), SENT, "ses-expiring")
    any_store.record_access(AccessEvent("cli001", T0, "ther01", "client"))
    assert not any_store.claim_digest("ther01", day, "run-b")  # done: held
    assert any_store.sent_message("ses-expiring") is not None
    assert len(any_store.access_log("cli001", 10)[0]) == 1
    assert any_store.history_and_messages(appt.id)[0]

    clock.advance(timedelta(days=MARKER_DAYS, seconds=1))
    assert any_store.table.get(*("THER#ther01", f"DIGEST#{day.isoformat()}"))  # still stored
    assert any_store.sent_message("ses-expiring") is None  # the 30-day lookup has run out
    assert any_store.claim_digest("ther01", day, "run-b")  # an expired marker is no marker
    assert len(any_store.access_log("cli001", 10)[0]) == 1  # the audit trail is kept 6 years

    clock.advance(timedelta(days=365 * 6 + 2))
    assert any_store.access_log("cli001", 10)[0] == []
    assert any_store.whole_access_log("cli001") == []
    history, messages = any_store.history_and_messages(appt.id)
    assert history == [] and len(messages) == 1  # the message's status stays


def test_an_expired_inbound_lock_can_be_taken_again(any_store, clock):
    from portal.domain.retention import marker_expiry

    any_store.begin_inbound("sms", "m-1", "run-a", T0, T0 + timedelta(minutes=5), marker_expiry(T0))
    any_store.complete_inbound("sms", "m-1", "run-a", marker_expiry(T0))
    assert any_store.begin_inbound("sms", "m-1", "run-b", T0, T0 + timedelta(minutes=5), 2**40) is InboundClaim.DONE
    clock.advance(timedelta(days=31))
    later = clock.now()
    assert any_store.begin_inbound("sms", "m-1", "run-b", later, later + timedelta(minutes=5),
                                   marker_expiry(later)) is InboundClaim.STARTED
