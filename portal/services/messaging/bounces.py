"""Stop mailing addresses that bounce or complain: SES events arrive through the stack's topic.

A permanent bounce or a complaint marks every client with that address ``email_blocked``;
``Client.wants(EMAIL)`` is then false, so reminders and confirmations use the client's other
channels. It lives on the client record the senders already read, so it costs no extra call
per message. Editing the client's address in the workspace clears it.

The same events give each sent email its delivery state (portal.services.messaging.delivery), and
records that did not come through the stack's topic are refused there.

Each SNS message is handled once and never lost: keyed by its SNS MessageId, a failure
removes the lock and raises so that the platform retries (``portal.services.messaging.inbound``).
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from portal.interfaces import Deps
from portal.services.messaging.delivery import record_ses_delivery, sns_messages
from portal.services.messaging.inbound import LOCK_FOR, handle_once

log = logging.getLogger(__name__)


def addresses_to_block(event: dict) -> list[str]:
    """Addresses from one SES notification or event-publishing message."""
    kind = event.get("eventType") or event.get("notificationType") or ""
    if kind == "Bounce":
        bounce = event.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return []  # a full mailbox or a slow server: try again next time
        return [r["emailAddress"] for r in bounce.get("bouncedRecipients", []) if r.get("emailAddress")]
    if kind == "Complaint":
        complaint = event.get("complaint") or {}
        return [r["emailAddress"] for r in complaint.get("complainedRecipients", [])
                if r.get("emailAddress")]
    return []


def record_ses_event(deps: Deps, event: dict) -> int:
    """Returns how many clients were newly blocked."""
    blocked = 0
    for address in addresses_to_block(event):
        for client in deps.store.clients_by_email(address):
            if not client.email_blocked:
                deps.store.set_client_flags(client.id, email_blocked=True)
                blocked += 1
    if blocked:
        log.info("stopped email to %d client(s) after a bounce or complaint", blocked)
    return blocked


def handle_event(deps: Deps, event: Any, topic_arn: str = "", *, lock_for: timedelta = LOCK_FOR) -> dict:
    """The SNS event: each record's message is one SES event (JSON). Raises when one fails.
    Records from any topic but ``topic_arn`` (the stack's SES events topic) are refused."""
    found, counts = sns_messages(event, topic_arn, "SES")
    blocked = 0
    for message_id, message in found:
        def work(message: Any = message) -> Any:
            record_ses_delivery(deps, message)  # the message's state on the session page
            return record_ses_event(deps, message)
        blocked += handle_once(deps, "ses", message_id, work, duplicate=0, lock_for=lock_for)
    return {"blocked": blocked, **counts}
