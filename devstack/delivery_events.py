"""Dev only: play a bounce and an SMS failure through the real event functions.

moto emits no SES or End User Messaging events, so the dev panel builds the events AWS
would publish for the newest reminder email and text in the outbox, and hands them to
functions.bounces and functions.sms_events through their configured topics, exactly
as SNS would. The session page then shows "Bounced" and "Failed", and the client page
"Unreachable by SMS/email".
"""
from __future__ import annotations

import json
import uuid


def _newest_sent(container, channel: str):
    from devstack.outbox import read_outbox

    for entry in read_outbox(container.store):
        if entry["channel"] == channel and container.store.sent_message(entry["id"]):
            return entry  # a reminder (change confirmations have no delivery record)
    return None


def _sns(topic_arn: str, body: dict) -> dict:
    return {"Records": [{"Sns": {"MessageId": f"dev-{uuid.uuid4().hex}", "TopicArn": topic_arn,
                                 "Message": json.dumps(body)}}]}


def bounce_event(entry: dict, topic_arn: str) -> dict:
    return _sns(topic_arn, {
        "eventType": "Bounce", "mail": {"messageId": entry["id"], "destination": [entry["to"]]},
        "bounce": {"bounceType": "Permanent", "bounceSubType": "General",
                   "bouncedRecipients": [{"emailAddress": entry["to"]}]}})


def sms_failure_event(entry: dict, topic_arn: str) -> dict:
    return _sns(topic_arn, {
        "eventType": "TEXT_CARRIER_UNREACHABLE", "messageId": entry["id"],
        "destinationPhoneNumber": entry["to"], "messageStatus": "CARRIER_UNREACHABLE"})


def play_failures(container) -> list[str]:
    """What was played, in words for the panel's notice."""
    from devstack.localstack import invoke_function

    played = []
    email, text = _newest_sent(container, "email"), _newest_sent(container, "sms")
    if email:
        invoke_function("functions.bounces.handler", container,
                        bounce_event(email, container.config.ses_events_topic_arn))
        played.append(f"a bounce of the email to {email['to']}")
    if text:
        invoke_function("functions.sms_events.handler", container,
                        sms_failure_event(text, container.config.sms_events_topic_arn))
        played.append(f"an undeliverable text to {text['to']}")
    return played
