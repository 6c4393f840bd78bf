"""Whether a message reached the client: the states a therapist sees on the session page.

A message record (``PendingMessage``) knows what the sending run did with it: pending or
claimed (queued), sent, skipped (with why) or failed. After sending, the provider reports
what became of it: SES events (Delivery, Bounce, Complaint) for email, End User Messaging
SMS events for texts. Those land on the record as its outcome (one attribute, raised only: a late Delivery
never hides a Complaint), and the state shown combines the two.
"""
from __future__ import annotations

from dataclasses import dataclass

from portal.domain.messages import CLAIMED, FAILED, PENDING, SENT, SKIPPED, PendingMessage

QUEUED, DELIVERED, BOUNCED, COMPLAINED = "queued", "delivered", "bounced", "complained"

# Outcomes a provider can report, in rank order: a later report never lowers the state
# (SES may report a Delivery and then a Complaint; a late Delivery must not hide it).
OUTCOME_RANK = {SENT: 0, DELIVERED: 1, FAILED: 2, BOUNCED: 2, COMPLAINED: 3}

# Why a message was skipped, as the sending run records it (``Skip.why``).
OPTED_OUT, QUIET_HOURS, NO_CHANNEL = "opted_out", "quiet_hours", "no_channel"
SESSION_CHANGED, NOT_NEEDED, ONE_TEXT_A_DAY = "session_changed", "not_needed", "one_text_a_day"
SKIP_WORDS = {
    OPTED_OUT: "opted out of this channel",
    QUIET_HOURS: "quiet hours",
    NO_CHANNEL: "no way to reach them on this channel",
    SESSION_CHANGED: "the session changed",
    NOT_NEEDED: "not needed any more",
    ONE_TEXT_A_DAY: "they already had a text that day",
}
STATE_WORDS = {
    QUEUED: "Queued", SENT: "Sent", DELIVERED: "Delivered", BOUNCED: "Bounced",
    COMPLAINED: "Marked as spam", FAILED: "Failed", SKIPPED: "Skipped",
}
TROUBLE = frozenset({BOUNCED, COMPLAINED, FAILED})

# End User Messaging SMS event types. Those that say the number cannot take texts mark the
# client unreachable by SMS; the rest are a failed or a delivered text.
SMS_DELIVERED = frozenset({"TEXT_DELIVERED"})
SMS_SENT = frozenset({"TEXT_SUCCESSFUL", "TEXT_QUEUED", "TEXT_PENDING"})
SMS_UNREACHABLE = frozenset({
    "TEXT_INVALID", "TEXT_UNREACHABLE", "TEXT_CARRIER_UNREACHABLE", "TEXT_BLOCKED",
    "TEXT_CARRIER_BLOCKED", "TEXT_OPTED_OUT", "TEXT_INVALID_MESSAGE", "TEXT_SPAM",
})


@dataclass(frozen=True)
class SentRef:
    """Which message a provider's id names, and for whom."""

    appointment_id: str
    message_key: str
    client_id: str
    channel: str


@dataclass(frozen=True)
class Delivery:
    """One message as the session page lists it."""

    kind: str  # "r24", "nudge", ...
    channel: str  # "email", "sms", "voice"
    state: str
    why: str = ""  # for skipped: in plain words
    at: object = None  # when it was (or is) due

    @property
    def label(self) -> str:
        return STATE_WORDS[self.state]

    @property
    def trouble(self) -> bool:
        return self.state in TROUBLE


def state_of(message: PendingMessage, outcome: str = "") -> str:
    """What the page shows for a message record and the provider's latest report on it."""
    if message.status in (PENDING, CLAIMED):
        return QUEUED
    if message.status == SENT and outcome in OUTCOME_RANK:
        return outcome
    if message.status in (SENT, SKIPPED, FAILED):
        return message.status
    return QUEUED


def delivery_of(message: PendingMessage, outcome: str = "") -> Delivery:
    state = state_of(message, outcome)
    why = SKIP_WORDS.get(message.detail.get("why", ""), "") if state == SKIPPED else ""
    return Delivery(message.kind, message.channel.value, state, why, message.due_at)


def ses_outcome(event: dict) -> str:
    """The outcome an SES event reports ("" for one that says nothing about delivery)."""
    kind = event.get("eventType") or event.get("notificationType") or ""
    if kind == "Delivery":
        return DELIVERED
    if kind == "Bounce":
        permanent = (event.get("bounce") or {}).get("bounceType") == "Permanent"
        return BOUNCED if permanent else ""  # a soft bounce: SES keeps trying
    if kind == "Complaint":
        return COMPLAINED
    if kind in ("Reject", "Rendering Failure"):
        return FAILED
    return ""


def sms_outcome(event_type: str) -> str:
    if event_type in SMS_DELIVERED:
        return DELIVERED
    if event_type in SMS_SENT:
        return ""  # nothing the record doesn't say already
    if event_type.startswith("TEXT_"):
        return FAILED
    return ""
