"""How days, times, zones and phone numbers read: one home for pages, messages and the workspace.

Every clock is 12-hour ("7:00 PM"). Times are shown in the zone a page or message is for;
UTC is only ever storage. Everything here is for a person to read, so nothing raises: a
missing value reads as "", an unknown zone falls back to UTC, a number that does not
parse is shown as typed.

Plain Python (zoneinfo). Phone numbers use the phonenumbers library: pure Python, no I/O,
imported only when a number is formatted, so the domain stays free of adapters.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timezone, tzinfo
from functools import lru_cache
from typing import Callable
from zoneinfo import ZoneInfo

__all__ = ["day", "short_day", "clock", "wall_clock", "clock_range", "when", "short_when",
           "message_when", "zone_label", "phone", "tel"]


# --- zones -------------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def _zone(zone_name: str | None) -> tzinfo:
    try:
        return ZoneInfo(zone_name) if zone_name else timezone.utc
    except (ValueError, TypeError, LookupError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return timezone.utc


def _local(value: object, zone_name: str | None) -> datetime | date | None:
    """The value on the zone's wall clock; a date stays a date. None when it can't be read."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)  # storage is UTC; never guess otherwise
        try:
            return value.astimezone(_zone(zone_name))
        except (OverflowError, ValueError):  # year 1 or 9999 pushed off the calendar by an offset
            return value
    return value if isinstance(value, date) else None


# --- days --------------------------------------------------------------------------------------
def day(value: object, zone_name: str | None = None) -> str:
    """"Tuesday, March 3": an instant (in the zone) or a calendar date."""
    local = _local(value, zone_name)
    return f"{local:%A, %B} {local.day}" if local is not None else ""


def short_day(value: object, zone_name: str | None = None) -> str:
    """"Tue Mar 3"."""
    local = _local(value, zone_name)
    return f"{local:%a %b} {local.day}" if local is not None else ""


# --- clocks ------------------------------------------------------------------------------------
def wall_clock(value: time | datetime | None, *, compact: bool = False) -> str:
    """"7:00 PM" for a wall-clock time; compact drops ":00" on the hour ("7 PM")."""
    if not isinstance(value, (time, datetime)):
        return ""
    hour = value.hour % 12 or 12
    half = "AM" if value.hour < 12 else "PM"
    if compact and value.minute == 0:
        return f"{hour} {half}"
    return f"{hour}:{value.minute:02d} {half}"


def clock(instant: datetime | None, zone_name: str | None = None, *, compact: bool = False) -> str:
    """"7:00 PM" in the zone (12-hour everywhere)."""
    local = _local(instant, zone_name)
    return wall_clock(local, compact=compact) if isinstance(local, datetime) else ""


def clock_range(start: datetime | None, end: datetime | None, zone_name: str | None = None) -> str:
    """"5:00 PM to 5:50 PM"."""
    return f"{clock(start, zone_name)} to {clock(end, zone_name)}" if start and end else clock(start, zone_name)


# --- day and time together ---------------------------------------------------------------------
def when(instant: datetime | None, zone_name: str | None = None, *, compact: bool = False) -> str:
    """"Tuesday, March 3 at 7:00 PM": client pages; compact ("at 7 PM") for spoken text."""
    if not isinstance(instant, datetime):
        return ""
    return f"{day(instant, zone_name)} at {clock(instant, zone_name, compact=compact)}"


def short_when(instant: datetime | None, zone_name: str | None = None) -> str:
    """"Tue Mar 3, 7:00 PM": lists in the workspace, where the zone is the therapist's own."""
    if not isinstance(instant, datetime):
        return ""
    return f"{short_day(instant, zone_name)}, {clock(instant, zone_name)}"


def message_when(instant: datetime | None, zone_name: str | None = None) -> str:
    """"Tue Mar 3, 7 PM EST": messages, short enough for one SMS, with the zone a reader needs."""
    local = _local(instant, zone_name)
    if not isinstance(local, datetime):
        return ""
    return f"{short_day(instant, zone_name)}, {wall_clock(local, compact=True)} {local.tzname() or 'UTC'}"


def zone_label(zone_name: str | None, at: datetime | None = None) -> str:
    """"New York time (EST)": which clock the times are on. Without an instant (a list that
    may cross a clock change) just "New York time". Never brackets inside brackets."""
    tz = _zone(zone_name)
    place = (zone_name or "UTC").rsplit("/", 1)[-1].replace("_", " ") if tz is not timezone.utc \
        else "UTC"
    local = _local(at, zone_name) if isinstance(at, datetime) else None
    abbreviation = (local.tzname() or "") if isinstance(local, datetime) else ""
    if not abbreviation or abbreviation == place or "(" in abbreviation:
        return f"{place} time"
    return f"{place} time ({abbreviation})"


# --- phone numbers -----------------------------------------------------------------------------
def phone(number: str | None, country: str = "US") -> str:
    """A stored number as people write it: "(202) 555-0143" at home, "+44 20 7946 0958" abroad.

    ``country`` is the reader's (the practice's) country. A number that does not parse is
    shown as typed, since showing something beats showing nothing on a help page."""
    text = (number or "").strip()
    if not text:
        return ""
    import phonenumbers  # pure Python, no I/O; imported here to keep cold starts lean

    try:
        parsed = phonenumbers.parse(text, (country or "US").upper())
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_possible_number(parsed):
        return text
    same_country = phonenumbers.region_code_for_number(parsed) == (country or "US").upper()
    style = phonenumbers.PhoneNumberFormat.NATIONAL if same_country \
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(parsed, style)


def tel(number: str | None) -> str:
    """A tel: link target: digits and the leading plus only."""
    text = (number or "").strip()
    digits = re.sub(r"\D", "", text)
    return f"+{digits}" if text.startswith("+") and digits else digits


# Registered once as template filters, for pages and messages alike: {{ start|when(zone) }}.
FILTERS: dict[str, Callable[..., str]] = {"day": day, "short_day": short_day, "clock": clock, "wall_clock": wall_clock,
           "clock_range": clock_range, "when": when, "short_when": short_when,
           "message_when": message_when, "zone_label": zone_label, "phone": phone, "tel": tel}
