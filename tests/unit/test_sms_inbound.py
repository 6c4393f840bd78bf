"""Replies to our texts: confirm, reschedule, video, STOP/START/HELP, the inbox, strangers."""
import json
from datetime import datetime, timedelta, timezone

import pytest

from portal.domain.audit import Actor
from portal.domain.model import Mode, PracticeSettings, Status
from portal.services.messaging.sms_inbound import InboundSms, command_of, handle, handle_event
from portal.services.sessions import booking
from tests import builders
from tests.conftest import T0

SETTINGS = PracticeSettings(display_name="Riverbend Counseling", contact_phone="+1 202-555-0100")
PHONE = "+12025550143"


def sns_event(body, number=PHONE, message_id="in-1"):
    payload = {"originationNumber": number, "destinationNumber": "+18005550100",
               "messageKeyword": "KEYWORD_123", "messageBody": body, "inboundMessageId": message_id,
               "previousPublishedMessageId": "out-9"}
    return {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": json.dumps(payload)}}]}


@pytest.fixture
def session(deps, store):
    store.save_settings(SETTINGS)
    therapist, client = builders.practice(store)
    start = datetime(2026, 3, 3, 15, 0, tzinfo=timezone.utc)  # Tuesday 10:00, a video-or-office window
    appointment = booking.record_booking(deps, therapist, client, start, Mode.IN_PERSON,
                                         actor=Actor.system("test"))
    return therapist, client, appointment


def replies(notifier):
    return [text for channel, to, text in notifier.sent if channel == "sms" and to == PHONE]


@pytest.mark.parametrize("body", ["C", "c", " c. ", "YES", "Yes!", "confirm", "Confirm.", "y", "OK"])
def test_confirm_words_are_forgiving(body):
    assert command_of(body) in {"C", "YES", "CONFIRM", "Y", "OK"}


@pytest.mark.parametrize("body", ["c", " Yes! ", "Confirm."])
def test_c_confirms_the_next_session_and_says_so(deps, store, notifier, session, body):
    therapist, client, appointment = session
    result = handle_event(deps, sns_event(body))
    assert result == {"received": 1, "outcomes": ["confirmed"]}
    stored = store.get_appointment(appointment.id)
    assert stored.status is Status.CONFIRMED and stored.confirmed_via == "sms"
    assert [(e.action, e.via) for e in store.audit_trail(appointment.id)
            if e.action == "confirmed"] == [("confirmed", "sms")]
    [reply] = replies(notifier)
    assert reply.startswith("Riverbend Counseling: Thanks Alex, ") and "/a/" in reply
    assert handle(deps, InboundSms(PHONE, "C", message_id="in-2")) == "already_confirmed"


def test_the_same_inbound_message_delivered_twice_is_handled_once(deps, store, notifier, session):
    handle_event(deps, sns_event("hello, running late", message_id="dup-1"))
    handle_event(deps, sns_event("hello, running late", message_id="dup-1"))
    assert len(store.inbox(session[0].id)) == 1 and len(replies(notifier)) == 1


def test_r_answers_with_the_reschedule_link(deps, store, notifier, session):
    _, _, appointment = session
    assert handle(deps, InboundSms(PHONE, "r")) == "reschedule"
    [reply] = replies(notifier)
    assert deps.links.appointment_url(appointment, "/reschedule") in reply
    assert store.get_appointment(appointment.id).status is Status.SCHEDULED  # nothing changed


def test_t_switches_to_video_and_answers_with_the_join_link(deps, store, notifier, session):
    _, _, appointment = session
    assert handle(deps, InboundSms(PHONE, "T")) == "video"
    assert store.get_appointment(appointment.id).mode is Mode.TELE
    assert "https://meet.test/maya" in replies(notifier)[0]
    assert handle(deps, InboundSms(PHONE, "video")) == "video"  # already: the link again
    assert store.get_appointment(appointment.id).version == appointment.version + 1


def test_t_where_video_is_not_offered_points_to_other_times(deps, store, notifier):
    from datetime import time

    from portal.domain.model import Availability, AvailabilityWindow

    store.save_settings(SETTINGS)
    office_only = Availability(windows=(AvailabilityWindow(1, time(9), time(17), frozenset({Mode.IN_PERSON})),))
    therapist, client = builders.practice(store, a=office_only)
    booking.record_booking(deps, therapist, client, datetime(2026, 3, 3, 15, 0, tzinfo=timezone.utc),
                           Mode.IN_PERSON, actor=Actor.system("test"))
    assert handle(deps, InboundSms(PHONE, "T")) == "no_video"
    assert "/reschedule" in replies(notifier)[0]


def test_stop_opts_out_start_opts_back_in_and_help_answers(deps, store, notifier, session):
    _, client, _ = session
    assert handle(deps, InboundSms(PHONE, "STOP")) == "stop"
    assert store.get_client(client.id).sms_opted_out is True
    assert "Reply START" in replies(notifier)[-1]
    assert handle(deps, InboundSms(PHONE, "cancel")) == "stop"  # a carrier opt-out word too
    assert handle(deps, InboundSms(PHONE, "hello?")) == "inbox"
    assert len(replies(notifier)) == 2  # an opted-out client gets no acknowledgement text
    assert handle(deps, InboundSms(PHONE, "Start")) == "start"
    assert store.get_client(client.id).sms_opted_out is False
    assert handle(deps, InboundSms(PHONE, "HELP")) == "help"
    help_text = replies(notifier)[-1]
    assert "STOP" in help_text and "+1 202-555-0100" in help_text and "rates may apply" in help_text


def test_anything_else_goes_to_the_therapists_inbox_with_a_short_acknowledgement(deps, store, notifier, session, clock):
    therapist, client, appointment = session
    assert handle(deps, InboundSms(PHONE, "I might be 10 minutes late, sorry")) == "inbox"
    [item] = store.inbox(therapist.id)
    assert (item.kind, item.client_id, item.appointment_id) == ("sms", client.id, appointment.id)
    assert item.text == "I might be 10 minutes late, sorry" and item.at == clock.now()
    assert replies(notifier) == ["Riverbend Counseling: Thanks Alex, we've passed your message on. "
                                 "For anything urgent, please call +1 202-555-0100."]


def test_an_unknown_number_gets_a_generic_answer_that_names_nobody(deps, store, notifier, session):
    stranger = "+12025559999"
    assert handle(deps, InboundSms(stranger, "C")) == "unknown"
    [(_, to, text)] = notifier.sent
    assert to == stranger and "Riverbend" not in text and "Alex" not in text and "http" not in text
    assert store.get_appointment(session[2].id).status is Status.SCHEDULED
    assert handle(deps, InboundSms(stranger, "stop")) == "unknown_stop"


def test_no_upcoming_session_is_said_kindly(deps, store, notifier):
    store.save_settings(SETTINGS)
    builders.practice(store)
    assert handle(deps, InboundSms(PHONE, "C")) == "no_session"
    assert "couldn't find an upcoming session" in replies(notifier)[0]


def test_a_shared_family_number_acts_on_the_soonest_session(deps, store, notifier, session):
    therapist, _, _ = session
    sibling = builders.client(cid="cli002", first_name="Sam", email="sam@example.com")
    store.add_client(sibling)
    sooner = booking.record_booking(deps, therapist, sibling, T0 + timedelta(hours=20), Mode.TELE,
                                    actor=Actor.system("test"))
    assert handle(deps, InboundSms(PHONE, "yes")) == "confirmed"
    assert store.get_appointment(sooner.id).status is Status.CONFIRMED
    assert "Thanks Sam" in replies(notifier)[0]


def test_unreadable_records_and_scheduled_events_are_ignored(deps, notifier, session):
    assert handle_event(deps, {"Records": [{"Sns": {"Message": "not json"}}]}) == \
        {"received": 0, "outcomes": []}
    assert handle_event(deps, {"detail-type": "Scheduled Event"}) == {"received": 0, "outcomes": []}
    assert handle_event(deps, None)["received"] == 0
    # The dev panel's shortcut: the End User Messaging JSON itself.
    assert handle_event(deps, {"originationNumber": PHONE, "messageBody": "R"})["outcomes"] == ["reschedule"]


def fail_once(monkeypatch, store, name, error=None):
    """The store's ``name`` raises on its first call, then works; returns the calls that worked."""
    original, calls = getattr(store, name), []

    def flaky(*args, **kwargs):
        if not calls and not getattr(flaky, "failed", False):
            flaky.failed = True
            raise error or RuntimeError("DynamoDB timed out")
        calls.append((args, kwargs))
        return original(*args, **kwargs)

    monkeypatch.setattr(store, name, flaky)
    return calls


def test_the_handler_wires_the_default_container(handlers, session):
    from functions import sms_inbound

    assert sms_inbound.handler(sns_event("C"), None)["outcomes"] == ["confirmed"]


def test_a_failure_reaches_the_platform_as_a_retryable_error_never_a_type_error(
        handlers, store, session, monkeypatch):
    from functions import sms_inbound
    from functions._guard import EventFailed

    fail_once(monkeypatch, store, "clients_by_phone", TypeError("x"))
    with pytest.raises(EventFailed) as failure:
        sms_inbound.handler(sns_event("C", message_id="in-9"), None)
    assert not isinstance(failure.value, TypeError)  # Zappa would re-call the handler
    assert isinstance(failure.value.__cause__, TypeError)
    # The lock was removed with the failure: the platform's retry is handled in full.
    assert sms_inbound.handler(sns_event("C", message_id="in-9"), None)["outcomes"] == ["confirmed"]


def test_a_stop_that_fails_after_the_lock_is_applied_exactly_once_on_redelivery(
        handlers, store, notifier, session, monkeypatch):
    from functions import sms_inbound
    from functions._guard import EventFailed

    _, client, _ = session
    applied = fail_once(monkeypatch, store, "set_client_flags")
    with pytest.raises(EventFailed):
        sms_inbound.handler(sns_event("STOP", message_id="stop-1"), None)
    assert store.get_client(client.id).sms_opted_out is False and replies(notifier) == []
    # SNS/Lambda deliver the same event again, and again after that.
    assert sms_inbound.handler(sns_event("STOP", message_id="stop-1"), None)["outcomes"] == ["stop"]
    assert sms_inbound.handler(sns_event("STOP", message_id="stop-1"), None)["outcomes"] == ["duplicate"]
    assert store.get_client(client.id).sms_opted_out is True
    assert applied == [((client.id,), {"sms_opted_out": True})]  # exactly once
    [reply] = replies(notifier)
    assert "Reply START" in reply


def test_a_completed_message_delivered_again_does_nothing(deps, store, notifier, session, monkeypatch):
    assert handle(deps, InboundSms(PHONE, "C", message_id="in-5")) == "confirmed"
    version = store.get_appointment(session[2].id).version
    monkeypatch.setattr(store, "clients_by_phone", lambda n: pytest.fail("handled twice"))
    assert handle(deps, InboundSms(PHONE, "C", message_id="in-5")) == "duplicate"
    assert store.get_appointment(session[2].id).version == version and len(replies(notifier)) == 1


def test_a_crashed_runs_lock_is_taken_over_once_it_expires(deps, store, notifier, session, clock):
    from portal.services.messaging.inbound import LOCK_FOR, InboundBusy

    _, client, _ = session
    now = clock.now()
    # A run took the lock and died (a timeout): it neither completed nor removed it.
    store.begin_inbound("sms", "stop-2", "crashed", now, now + LOCK_FOR, 2**40)
    clock.advance(LOCK_FOR / 2)
    with pytest.raises(InboundBusy):  # it might still finish: the platform retries later
        handle(deps, InboundSms(PHONE, "STOP", message_id="stop-2"))
    assert store.get_client(client.id).sms_opted_out is False
    clock.advance(LOCK_FOR)
    assert handle(deps, InboundSms(PHONE, "STOP", message_id="stop-2")) == "stop"
    assert store.get_client(client.id).sms_opted_out is True
    store.abandon_inbound("sms", "stop-2", "crashed")  # the dead run's late clean-up
    assert handle(deps, InboundSms(PHONE, "STOP", message_id="stop-2")) == "duplicate"
    assert len(replies(notifier)) == 1


@pytest.mark.parametrize("body, minutes", [("LATE 10", 10), ("late 5", 5), ("Late 15 min", 15), ("late", 10)])
def test_late_tells_the_therapist_within_the_window(deps, store, notifier, session, clock, body, minutes):
    therapist, client, appointment = session
    clock.set(appointment.start - timedelta(minutes=30))
    assert handle(deps, InboundSms(PHONE, body)) == "late"
    [item] = store.inbox(therapist.id)
    assert (item.kind, item.appointment_id) == ("late", appointment.id)
    assert item.text == f"Running about {minutes} minutes late."
    [(_, to, email)] = [s for s in notifier.sent if s[0] == "email"]
    assert to == therapist.email and "Running" not in email.text and client.last_name not in email.text
    assert f"about {minutes} minutes late" in replies(notifier)[-1]


def test_late_far_from_a_session_changes_nothing_and_says_so(deps, store, notifier, session, clock):
    therapist, client, appointment = session
    clock.set(appointment.start - timedelta(hours=3))
    assert handle(deps, InboundSms(PHONE, "LATE 10")) == "late_no_session"
    assert store.inbox(therapist.id) == [] and "couldn't find a session starting soon" in replies(notifier)[-1]
