"""The session page lists each message with its delivery state; the client page says when
reminders cannot reach the client."""
import json
from datetime import timedelta

from functions import bounces, sms_events
from portal.config import DEV_TOPICS
from portal.domain.messages import SENT
from tests.workspace_support import Web, app_on, seeded, text


def _send(store, clock, appointment_id, channel, provider_id):
    message = next(m for m in store.messages_of(appointment_id) if m.channel.value == channel)
    assert store.claim_message(message, clock.now(), clock.now())
    assert store.finish_message(message, SENT, provider_id)
    return message


def _event(topic, message_id, body):
    return {"Records": [{"Sns": {"MessageId": message_id, "TopicArn": DEV_TOPICS[topic],
                                 "Message": json.dumps(body)}}]}


def test_session_and_client_pages_show_what_reached_the_client(deps, handlers):
    seeded(deps)
    store, clock = deps.store, deps.clock
    ahead = store.therapist_appointments("mchen1", clock.now(), clock.now() + timedelta(days=30))
    appt = next(a for a in ahead if len({m.channel for m in store.messages_of(a.id)}) > 1)
    channels = {m.channel.value for m in store.messages_of(appt.id)}
    _send(store, clock, appt.id, "email", "ses-demo-1")
    bounces.handler(_event("SES_EVENTS_TOPIC_ARN", "n1", {
        "eventType": "Bounce", "mail": {"messageId": "ses-demo-1"},
        "bounce": {"bounceType": "Permanent", "bouncedRecipients": []}}), None)
    if "sms" in channels:
        _send(store, clock, appt.id, "sms", "sms-demo-1")
        sms_events.handler(_event("SMS_EVENTS_TOPIC_ARN", "n2", {
            "eventType": "TEXT_UNREACHABLE", "messageId": "sms-demo-1"}), None)
    else:
        store.set_client_flags(appt.client_id, sms_unreachable=True)
    browser = Web(app_on(deps))
    browser.login()
    page = text(browser.get(f"/t/appointments/{appt.id}"))
    assert "Bounced" in page and "Queued" in page
    client_page = text(browser.get(f"/t/clients/{appt.client_id}"))
    assert "Unreachable by SMS" in client_page
