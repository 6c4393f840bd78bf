"""What people type, parsed: every problem comes back in words written for the person.

Inputs arrive as plain strings (from a form or a CSV row). FormErrors carries several
field problems at once, so a form can show them all.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Iterable

from portal.domain.errors import ValidationError
from portal.domain.model import Channel
from portal.domain.timemath import parse_utc


class FormErrors(ValidationError):
    """Several fields are wrong at once: ``fields`` maps a field (or row) to its message."""

    def __init__(self, fields: dict) -> None:
        self.fields = fields
        super().__init__(" ".join(str(m) for m in fields.values()))


# --- small parsers ---------------------------------------------------------------------------
def normalized_email(raw: str, required: bool = False) -> str:
    from email_validator import EmailNotValidError, validate_email  # lazy: ~100 ms, kept off the cold start

    raw = (raw or "").strip()
    if not raw:
        if required:
            raise ValidationError("Please enter an email address.")
        return ""
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValidationError("That doesn't look like an email address, such as name@example.com.") from None


def normalized_phone(raw: str, region: str = "US") -> str:
    """E.164 (+12025550143), or "" when left empty."""
    import phonenumbers  # lazy: ~140 ms of number metadata, kept off the cold start

    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError("That doesn't look like a phone number, such as (202) 555-0143 "
                              "or +44 20 7946 0958.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_time(raw: str | None) -> time:
    try:
        value = time.fromisoformat((raw or "").strip())
    except ValueError:
        raise ValidationError("Use a time such as 09:00 or 17:30.") from None
    return value.replace(second=0, microsecond=0)


WINDOW_YEARS = 2  # dates a person enters: today - 2 years .. today + 2 years
START_MAX = 40  # the longest ISO 8601 start a form sends, with its offset


def parse_day(raw: str | None, today: date) -> date:
    try:
        day = date.fromisoformat((raw or "").strip())
    except ValueError:
        raise ValidationError("Use a date such as 2026-07-04.") from None
    return in_date_window(day, today)


def in_date_window(day: date, today: date) -> date:
    """The one rule for dates a person types: within two years either side of today."""
    try:
        first, last = (today.replace(year=today.year - WINDOW_YEARS),
                       today.replace(year=today.year + WINDOW_YEARS))
    except ValueError:  # today is 29 February
        first, last = today - timedelta(days=730), today + timedelta(days=730)
    if not first <= day <= last:
        raise ValidationError(f"Please use a date between {first:%B} {first.day}, {first.year} "
                              f"and {last:%B} {last.day}, {last.year}.")
    return day


def parse_start(raw: str, now: datetime) -> datetime:
    """A session start from a form (ISO 8601 with its offset), inside the date window."""
    text = (raw or "").strip()
    try:
        start = parse_utc(text) if len(text) <= START_MAX else None
    except (ValueError, OverflowError):  # year 9999 late in the day overflows to UTC
        start = None
    if start is None:
        raise ValidationError("Please pick one of the open times.")
    in_date_window(start.date(), now.date())
    return start


def parse_channels(values: Iterable[str]) -> tuple[Channel, ...]:
    try:
        return tuple(dict.fromkeys(Channel(v) for v in values))
    except ValueError:
        raise ValidationError("Pick email, text message or phone call.") from None
