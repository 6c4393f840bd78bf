"""Time maths: zones, wall-clock to UTC across DST, and the time cells a session holds."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portal.domain.errors import ValidationError

CELL_MINUTES = 5  # the grain of slot claims: every start, end and buffer is a multiple of it
EVENING_FROM = time(17, 0)


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(f"'{name}' is not a time zone we know, such as America/New_York.") from None


def local_wall_to_utc(day: date, wall: time, zone_name: str) -> datetime | None:
    """The UTC instant of a wall-clock time, or None where the clocks skip it (spring forward).

    In the repeated hour of autumn the earlier instant (fold=0) is taken.
    """
    tz = zone(zone_name)
    local = datetime.combine(day, wall).replace(tzinfo=tz)
    as_utc = local.astimezone(timezone.utc)
    if as_utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None  # nonexistent: 02:30 on a spring-forward night
    return as_utc


def to_local(instant: datetime, zone_name: str) -> datetime:
    return instant.astimezone(zone(zone_name))


def parse_utc(text: str) -> datetime:
    """ISO 8601 to an aware UTC datetime; a naive value is refused, not guessed."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValidationError("A time must carry its zone offset, such as 2026-03-01T15:00:00Z.")
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:  # year 1 or 9999 with an offset that leaves the calendar
        raise ValidationError("That time is out of range. Please pick one from the list.") from None


def iso_utc(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_on_cell(instant: datetime) -> bool:
    return instant.second == 0 and instant.microsecond == 0 and instant.minute % CELL_MINUTES == 0


def cells(start: datetime, end: datetime) -> list[str]:
    """The 5-minute UTC cells covering [start, end): the keys of a slot claim."""
    if not (is_on_cell(start) and is_on_cell(end)):
        raise ValidationError("Session times must fall on 5-minute steps.")
    out, cursor = [], start.astimezone(timezone.utc)
    step = timedelta(minutes=CELL_MINUTES)
    while cursor < end:
        out.append(cursor.strftime("%Y%m%dT%H%M"))
        cursor += step
    return out


def is_evening(instant: datetime, zone_name: str) -> bool:
    return to_local(instant, zone_name).time() >= EVENING_FROM


def is_weekend(instant: datetime, zone_name: str) -> bool:
    return to_local(instant, zone_name).weekday() >= 5


def hours_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds() / 3600


def days(first: date, last: date) -> Iterator[date]:
    cursor = first
    while cursor <= last:
        yield cursor
        cursor += timedelta(days=1)
