"""What became of each message after it was sent: SES and SMS events, and forged ones refused.

Sending marks a message sent with the provider's id and writes a small lookup keyed by
that id (portal.adapters.store.messages.finish_message, one transaction). The events
name only the provider's id, so each costs one GetItem (the lookup) and one conditional
UpdateItem (the outcome, raised only). A failed text that says the number cannot take
texts (invalid, unreachable, blocked) marks the client ``sms_unreachable`` for their page;
editing their number clears it (portal.services.workspace.clients).

Events come through SNS topics the stack owns. There is no ``cryptography`` package in the
runtime to check SNS signatures, so a record is accepted only when its ``TopicArn`` is the
configured topic (SES_EVENTS_TOPIC_ARN, SMS_EVENTS_TOPIC_ARN); anything else is refused and
changes nothing. Replays are handled once by SNS MessageId (portal.services.messaging.inbound).
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any, cast

from portal.domain import delivery
from portal.domain.audit import AuditEvent
from portal.domain.delivery import Delivery
from portal.interfaces import Deps
from portal.services.messaging.inbound import LOCK_FOR, handle_once

log = logging.getLogger(__name__)


def from_topic(record: object, topic_arn: str) -> bool:
    """True when an SNS record came through the configured topic (none configured: none do)."""
    sns = record.get("Sns") if isinstance(record, dict) else None
    return bool(topic_arn) and isinstance(sns, dict) and sns.get("TopicArn") == topic_arn


def sns_messages(event: Any, topic_arn: str, kind: str) -> tuple[list[tuple[str, Any]], dict[str, int]]:
    """(SNS MessageId, message object) for each record of ``event`` from the topic; counts the
    refused (another topic) and the unreadable in ``counts``."""
    counts = {"refused": 0, "unreadable": 0}
    found = []
    records = event.get("Records", []) if isinstance(event, dict) else []
    for record in records if isinstance(records, list) else []:
        if not from_topic(record, topic_arn):
            counts["refused"] += 1
            log.warning("refused a %s record that did not come through the configured topic", kind)
            continue
        try:
            message = json.loads(record["Sns"]["Message"])
            if not isinstance(message, dict):
                raise ValueError("not an object")
        except (KeyError, TypeError, ValueError):
            counts["unreadable"] += 1  # logged and dropped, never retried forever
            log.warning("ignoring a record that is not a %s event", kind)
            continue
        found.append((str(record["Sns"].get("MessageId") or ""), message))
    return found, counts


def record_ses_delivery(deps: Deps, event: dict) -> bool:
    """An SES event's outcome on the message it names. True when the state changed."""
    outcome = delivery.ses_outcome(event)
    provider_id = str((event.get("mail") or {}).get("messageId") or "")
    if not outcome or not provider_id:
        return False
    ref = deps.store.sent_message(provider_id)
    return ref is not None and deps.store.record_delivery(ref, outcome)


def record_sms_event(deps: Deps, event: dict) -> bool:
    """An End User Messaging SMS event: the text's outcome, and an unreachable number flagged."""
    event_type = str(event.get("eventType") or "")
    ref = deps.store.sent_message(str(event.get("messageId") or ""))
    if ref is None:
        return False
    outcome = delivery.sms_outcome(event_type)
    changed = bool(outcome) and deps.store.record_delivery(ref, outcome)
    if event_type in delivery.SMS_UNREACHABLE and ref.client_id:
        client = deps.store.get_client(ref.client_id)
        if client is not None and not client.sms_unreachable:
            deps.store.set_client_flags(client.id, sms_unreachable=True)
            log.info("a client's texts cannot be delivered (%s): marked unreachable by SMS", event_type)
    return changed


def handle_sms_events(deps: Deps, event: Any, topic_arn: str, *, lock_for: timedelta = LOCK_FOR) -> dict:
    """The SMS events function: each SNS record holds one End User Messaging SMS event."""
    found, counts = sns_messages(event, topic_arn, "SMS")
    updated = 0
    for message_id, message in found:
        updated += bool(handle_once(deps, "smsevent", message_id,
                                    partial(record_sms_event, deps, message),
                                    duplicate=False, lock_for=lock_for))
    return {"updated": updated, **counts}


def session_history(deps: Deps, appointment_id: str) -> tuple[list[AuditEvent], tuple[Delivery, ...]]:
    """The session page's history and its messages' states, read in one Query."""
    audit, messages = deps.store.history_and_messages(appointment_id)
    shown = [delivery.delivery_of(message, outcome) for message, outcome in messages]
    return audit, tuple(sorted(shown, key=lambda d: cast(datetime, d.at)))
