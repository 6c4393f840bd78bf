"""How long things are kept (documented in the README's retention table).

DynamoDB's TTL removes an item some time after its ``expires_at`` (seconds since the
epoch), often days late; so every read of an item that can expire checks ``expired`` too,
and an item past its time reads as absent.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from portal.domain.errors import ValidationError

# A sent message's body (where one is kept: the dev outbox) after sending; its status stays.
BODY_DAYS, BODY_DAYS_RANGE = 90, (7, 365)
# One-off markers ("this went out once": the day's text, a check-in, a follow-up, a digest;
# the locks of inbound events) and waitlist offers. At least a week: a marker must outlive
# the time its message could still be retried (follow-ups are planned within 7 days).
MARKER_DAYS, MARKER_DAYS_RANGE = 30, (7, 90)
SIGN_IN_COUNTER = timedelta(days=1)
AUDIT_YEARS = 6
AUDIT_RETENTION = timedelta(days=365 * AUDIT_YEARS + 2)  # leap days included


def expiry_epoch(at: datetime, keep: timedelta) -> int:
    """A DynamoDB TTL value: seconds since the epoch when the item may go."""
    return int((at + keep).timestamp())


def expired(item: dict | None, now: datetime) -> bool:
    """True when the item carries an ``expires_at`` that has passed (TTL has not run yet)."""
    value = (item or {}).get("expires_at")
    return value is not None and int(value) <= now.timestamp()


def check_windows(body_days: int, marker_days: int) -> None:
    """The practice may change the two windows within safe bounds."""
    for days, (low, high), what in ((body_days, BODY_DAYS_RANGE, "Message texts"),
                                    (marker_days, MARKER_DAYS_RANGE, "Sending records")):
        if not isinstance(days, int) or not low <= days <= high:
            raise ValidationError(f"{what} can be kept between {low} and {high} days.")


def marker_expiry(now: datetime, marker_days: int = MARKER_DAYS) -> int:
    """When a one-off marker (the practice's ``marker_days`` window) may go."""
    return expiry_epoch(now, timedelta(days=marker_days))


def body_expiry(sent_at: datetime, body_days: int = BODY_DAYS) -> int:
    """When a sent message's body may go (its status stays)."""
    return expiry_epoch(sent_at, timedelta(days=body_days))
