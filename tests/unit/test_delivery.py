"""Delivery status: each message's state on the session page, from the sending run and from
SES and SMS events; forged and replayed events change nothing."""
import json
from datetime import datetime, timedelta, timezone

import pytest

from functions import bounces, sms_events
from portal.config import DEV_TOPICS
from portal.domain import delivery
from portal.domain.audit import Actor
from portal.domain.model import Mode, PracticeSettings
from portal.services.messaging.delivery import session_history
from portal.services.messaging.reminders import send_due_reminders
from portal.services.sessions import booking
from portal.services.workspace import clients
from tests import builders

SES_TOPIC, SMS_TOPIC = DEV_TOPICS["SES_EVENTS_TOPIC_ARN"], DEV_TOPICS["SMS_EVENTS_TOPIC_ARN"]
START = datetime(2026, 3, 6, 20, 0, tzinfo=timezone.utc)  # Friday 15:00 in New York


@pytest.fixture
def sent(deps, store, clock, handlers):
    """A session whose 24 h email and text went out; returns (appointment, client, ids)."""
    store.save_settings(PracticeSettings())
    therapist, client = builders.practice(store)
    appt = booking.record_booking(deps, therapist, client, START, Mode.IN_PERSON,
                                  actor=Actor.system("test"))
    clock.set(START - timedelta(hours=24))
    assert send_due_reminders(deps)["sent"] == 2
    ids = {m.channel.value: m.provider_id for m in store.messages_of(appt.id) if m.provider_id}
    return appt, client, ids


def states(deps, appt):
    return {d.channel: d.state for d in session_history(deps, appt.id)[1] if d.state != "queued"}


def ses(kind, provider_id, address="alex@example.com", message_id="sns-1", topic=SES_TOPIC, **extra):
    body = {"eventType": kind, "mail": {"messageId": provider_id, "destination": [address]}, **extra}
    return {"Records": [{"Sns": {"MessageId": message_id, "TopicArn": topic, "Message": json.dumps(body)}}]}


def sms(event_type, provider_id, message_id="sns-s1", topic=SMS_TOPIC):
    body = {"eventType": event_type, "messageId": provider_id, "destinationPhoneNumber": "+12025550143"}
    return {"Records": [{"Sns": {"MessageId": message_id, "TopicArn": topic, "Message": json.dumps(body)}}]}


def test_sent_messages_show_sent_and_then_what_ses_reported(deps, sent):
    appt, _, ids = sent
    assert states(deps, appt) == {"email": "sent", "sms": "sent"}
    bounces.handler(ses("Delivery", ids["email"]), None)
    assert states(deps, appt)["email"] == "delivered"
    bounces.handler(ses("Complaint", ids["email"], message_id="sns-2",
                        complaint={"complainedRecipients": [{"emailAddress": "alex@example.com"}]}), None)
    assert states(deps, appt)["email"] == "complained"
    bounces.handler(ses("Delivery", ids["email"], message_id="sns-3"), None)  # late: never lowers
    assert states(deps, appt)["email"] == "complained"


def test_a_permanent_bounce_shows_bounced_and_blocks_email(deps, store, sent):
    appt, client, ids = sent
    bounces.handler(ses("Bounce", ids["email"], bounce={
        "bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": client.email}]}), None)
    assert states(deps, appt)["email"] == "bounced"
    assert store.get_client(client.id).email_blocked


def test_a_forged_event_from_another_topic_is_refused_and_changes_nothing(deps, store, sent):
    appt, client, ids = sent
    forged = ses("Bounce", ids["email"], topic="arn:aws:sns:us-east-1:999999999999:attacker",
                 bounce={"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": client.email}]})
    assert bounces.handler(forged, None) == {"blocked": 0, "refused": 1, "unreadable": 0}
    no_topic = ses("Delivery", ids["email"], topic=None)
    assert bounces.handler(no_topic, None)["refused"] == 1
    assert sms_events.handler(sms("TEXT_UNREACHABLE", ids["sms"], topic=SES_TOPIC), None)["refused"] == 1
    assert states(deps, appt) == {"email": "sent", "sms": "sent"}
    assert not store.get_client(client.id).email_blocked
    assert not store.get_client(client.id).sms_unreachable


def test_a_replayed_event_is_handled_once(deps, store, sent, monkeypatch):
    appt, _, ids = sent
    assert sms_events.handler(sms("TEXT_DELIVERED", ids["sms"]), None)["updated"] == 1
    monkeypatch.setattr(store, "record_delivery", lambda *a: pytest.fail("handled twice"))
    assert sms_events.handler(sms("TEXT_DELIVERED", ids["sms"]), None)["updated"] == 0


def test_a_text_that_cannot_be_delivered_marks_the_client_until_the_number_changes(deps, store, sent):
    appt, client, ids = sent
    sms_events.handler(sms("TEXT_CARRIER_UNREACHABLE", ids["sms"]), None)
    assert states(deps, appt)["sms"] == "failed"
    assert store.get_client(client.id).sms_unreachable
    form = {"first_name": "Alex", "last_name": "Rivera", "email": client.email, "phone": client.phone,
            "timezone": client.timezone, "channels": ["email", "sms"], "sms_consent": "y"}
    clients.update_client(deps, store.get_client(client.id), form)  # same number: still flagged
    assert store.get_client(client.id).sms_unreachable
    clients.update_client(deps, store.get_client(client.id), {**form, "phone": "+12025550199"})
    assert not store.get_client(client.id).sms_unreachable


def test_a_therapist_edit_cannot_undo_an_unreachable_flag_set_meanwhile(deps, store, sent):
    _, client, ids = sent
    page_read = store.get_client(client.id)
    sms_events.handler(sms("TEXT_BLOCKED", ids["sms"]), None)
    store.update_client(page_read)
    assert store.get_client(client.id).sms_unreachable


def test_unknown_provider_ids_and_junk_change_nothing(deps, sent):
    appt, _, _ = sent
    assert sms_events.handler(sms("TEXT_DELIVERED", "no-such-id"), None)["updated"] == 0
    assert bounces.handler(ses("Delivery", "x" * 500), None)["blocked"] == 0
    assert states(deps, appt) == {"email": "sent", "sms": "sent"}


def test_skipped_messages_say_why(deps, store, clock, handlers):
    store.save_settings(PracticeSettings())
    therapist, client = builders.practice(store)
    appt = booking.record_booking(deps, therapist, client, START, Mode.IN_PERSON,
                                  actor=Actor.system("test"))
    store.set_client_flags(client.id, sms_opted_out=True)
    clock.set(START - timedelta(hours=24))
    send_due_reminders(deps)
    shown = {d.channel: d for d in session_history(deps, appt.id)[1] if d.state == "skipped"}
    assert shown["sms"].why == "opted out of this channel"


def test_state_of_a_message_record():
    from portal.domain.messages import PendingMessage
    from portal.domain.model import Channel

    message = PendingMessage("a1", "r24", Channel.EMAIL, START)
    assert delivery.state_of(message) == "queued"
    from dataclasses import replace
    assert delivery.state_of(replace(message, status="sent"), "delivered") == "delivered"
    assert delivery.state_of(replace(message, status="failed")) == "failed"
    assert delivery.ses_outcome({"eventType": "Bounce", "bounce": {"bounceType": "Transient"}}) == ""
    assert delivery.sms_outcome("TEXT_TTL_EXPIRED") == "failed"

