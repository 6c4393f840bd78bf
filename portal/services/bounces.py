"""Stop mailing addresses that bounce or complain: SES events arrive through the stack's topic.

A permanent bounce or a complaint puts the address on the practice's suppression list;
``SuppressingNotifier`` then declines to email it (one GetItem per email), so reminders fall
back to the client's other channels instead of hurting the practice's sending reputation.
"""
from __future__ import annotations

import logging

from portal.domain.timemath import iso_utc
from portal.interfaces import Deps

log = logging.getLogger(__name__)


def suppression_key(address: str):
    return f"SUPPRESS#{address.strip().lower()}", "S"


def addresses_to_suppress(event: dict) -> list[tuple[str, str]]:
    """(address, reason) pairs from one SES notification or event-publishing message."""
    kind = event.get("eventType") or event.get("notificationType") or ""
    if kind == "Bounce":
        bounce = event.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return []  # a full mailbox or a slow server: try again next time
        return [(r["emailAddress"], "bounce") for r in bounce.get("bouncedRecipients", [])
                if r.get("emailAddress")]
    if kind == "Complaint":
        complaint = event.get("complaint") or {}
        return [(r["emailAddress"], "complaint") for r in complaint.get("complainedRecipients", [])
                if r.get("emailAddress")]
    return []


def record_ses_event(deps: Deps, event: dict) -> int:
    now = deps.clock.now()
    count = 0
    for address, reason in addresses_to_suppress(event):
        pk, sk = suppression_key(address)
        deps.store.put_record({"pk": pk, "sk": sk, "type": "suppression", "reason": reason,
                               "at": iso_utc(now)})
        count += 1
    return count


def is_suppressed(store, address: str) -> bool:
    return store.get_record(*suppression_key(address)) is not None


class SuppressingNotifier:
    """Declines (returns None) to email a suppressed address; SMS and voice pass through."""

    def __init__(self, inner, store):
        self.inner, self.store = inner, store

    def send_email(self, email):
        if is_suppressed(self.store, email.to):
            log.info("not emailing a suppressed address")
            return None
        return self.inner.send_email(email)

    def send_sms(self, to, text):
        return self.inner.send_sms(to, text)

    def send_voice(self, to, text):
        return self.inner.send_voice(to, text)
