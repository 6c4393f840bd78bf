"""One contract, two stores: the in-memory fake and DynamoDB (moto, server mode).

Whatever the fake promises here, the real store is held to as well, so unit tests
on the fake can be trusted.
"""
from dataclasses import replace
from datetime import timedelta

import pytest

from portal.adapters.store import Store
from portal.adapters.table import MemoryTable
from portal.domain.errors import SlotTaken, StaleVersion, ValidationError
from portal.domain.messages import CLAIMED, PENDING, SENT, due_bucket
from portal.domain.model import Appointment, AuditEvent, Mode, PracticeSettings, Status
from portal.interfaces import AppointmentChange
from tests import builders
from tests.conftest import T0


@pytest.fixture(params=["memory", "dynamodb"])
def any_store(request, clock):
    if request.param == "memory":
        return Store(MemoryTable())
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
    from portal.domain.messages import PendingMessage
    from portal.domain.model import Channel

    builders.practice(any_store)
    appt = appointment()
    due = appt.start - timedelta(hours=24)
    message = PendingMessage(appt.id, "r24", Channel.EMAIL, due, for_start=appt.start)
    book(any_store, appt, messages=[message])
    found = any_store.messages_due(due_bucket(due), due)
    assert found == [message]
    assert any_store.messages_due(due_bucket(due), due - timedelta(minutes=1)) == []
    assert any_store.claim_message(message, due, due + timedelta(minutes=5))
    assert not any_store.claim_message(message, due, due + timedelta(minutes=5))  # a second run
    # A lease that ran out (a run that died) can be taken over.
    later = due + timedelta(minutes=6)
    assert any_store.claim_message(message, later, later + timedelta(minutes=5))
    claimed = any_store.messages_of(appt.id)[0]
    assert claimed.status == CLAIMED
    any_store.finish_message(claimed, SENT, "provider-123")
    assert any_store.messages_due(due_bucket(due), later) == []  # sparse: gone from the index
    stored = any_store.messages_of(appt.id)[0]
    assert (stored.status, stored.provider_id) == (SENT, "provider-123")
    assert not any_store.claim_message(message, later + timedelta(hours=1), later)
    assert PENDING != SENT


def test_counter_is_atomic_and_records_round_trip(any_store):
    assert any_store.increment("THROTTLE#a", "W1", extra={"expires_at": 100}) == 1
    assert any_store.increment("THROTTLE#a", "W1", extra={"expires_at": 200}) == 2
    assert any_store.get_record("THROTTLE#a", "W1")["expires_at"] == 100
    any_store.put_record({"pk": "X", "sk": "1", "n": 5, "nested": {"a": [1, "b"]}})
    assert any_store.get_record("X", "1") == {"pk": "X", "sk": "1", "n": 5, "nested": {"a": [1, "b"]}}
    assert any_store.query_records("X") == [{"pk": "X", "sk": "1", "n": 5, "nested": {"a": [1, "b"]}}]
    assert Status.SCHEDULED.is_open


def test_inbox_is_newest_first_and_items_can_be_marked_handled(any_store):
    from portal.domain.model import Barrier, InboxItem

    older = InboxItem("ther01", T0, "barrier", "cli001", "appt01", Barrier.COST, "money is tight", id="i1")
    newer = InboxItem("ther01", T0 + timedelta(hours=1), "note", "cli001", text="running late", id="i2")
    any_store.add_inbox(older)
    any_store.put_record(any_store.inbox_record(newer))
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
