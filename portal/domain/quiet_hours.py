"""Quiet hours: when a phone may not buzz, in the client's own zone (default 21:00-08:00).

Plain time maths. Reminders move *earlier* (they must arrive before the session);
follow-ups and check-ins move *later*, to when the quiet hours end.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from portal.domain.timemath import to_local, zone

# A scheduled run comes every few minutes; a message planned right at the edge of the quiet
# hours could be picked up inside them. The margin keeps it clear of the edge.
EDGE_MARGIN = timedelta(minutes=15)


def is_quiet(instant: datetime, zone_name: str, start: time, end: time) -> bool:
    local = to_local(instant, zone_name).time()
    if start == end:
        return False  # no quiet hours configured
    if start < end:
        return start <= local < end
    return local >= start or local < end  # spans midnight, as 21:00-08:00 does


def _at(day: date, wall: time, zone_name: str) -> datetime:
    # A wall time the clocks skip (spring forward) resolves to the instant just after the gap.
    return datetime.combine(day, wall, tzinfo=zone(zone_name)).astimezone(timezone.utc)


def quiet_began(instant: datetime, zone_name: str, start: time, end: time) -> datetime:
    """When the quiet period holding ``instant`` began (``instant`` must be quiet)."""
    local = to_local(instant, zone_name)
    day = local.date()
    if start > end and local.time() < end:
        day -= timedelta(days=1)  # after midnight: it began the evening before
    return _at(day, start, zone_name)


def quiet_ends(instant: datetime, zone_name: str, start: time, end: time) -> datetime:
    """When the quiet period holding ``instant`` ends (``instant`` must be quiet)."""
    local = to_local(instant, zone_name)
    day = local.date()
    if start > end and local.time() >= start:
        day += timedelta(days=1)  # before midnight: it ends tomorrow morning
    return _at(day, end, zone_name)


def last_allowed_before(due: datetime, zone_name: str, start: time, end: time) -> datetime:
    """``due`` itself when it is not quiet; otherwise a little before that quiet period began."""
    if not is_quiet(due, zone_name, start, end):
        return due
    return quiet_began(due, zone_name, start, end) - EDGE_MARGIN


def first_allowed_from(due: datetime, zone_name: str, start: time, end: time) -> datetime:
    """``due`` itself when it is not quiet; otherwise a little after the quiet period ends."""
    if not is_quiet(due, zone_name, start, end):
        return due
    return quiet_ends(due, zone_name, start, end) + EDGE_MARGIN


def local_day(instant: datetime, zone_name: str) -> date:
    return to_local(instant, zone_name).date()
