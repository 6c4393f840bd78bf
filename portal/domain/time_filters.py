"""Parts of the day and the client's usual time: for the filters and suggestions of the time picker.

Plain Python. A part of the day is read on the client's own wall clock.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, time

from portal.domain.timemath import is_evening, is_weekend, to_local

NOON = time(12, 0)
FILTERS = {"morning": "Morning", "afternoon": "Afternoon", "evening": "Evening", "weekend": "Weekend"}
EVENING_OR_WEEKEND = "evening-weekend"  # the older combined filter, still linked from check-ins


def part_of_day(instant: datetime, zone_name: str) -> str:
    if is_evening(instant, zone_name):
        return "evening"
    return "morning" if to_local(instant, zone_name).time() < NOON else "afternoon"


def matches(instant: datetime, only: str, zone_name: str) -> bool:
    """Does a time pass the filter? An unknown or empty filter passes everything."""
    if only == "weekend":
        return is_weekend(instant, zone_name)
    if only in FILTERS:
        return part_of_day(instant, zone_name) == only
    if only == EVENING_OR_WEEKEND:
        return is_evening(instant, zone_name) or is_weekend(instant, zone_name)
    return True


def usual_time(starts: list[datetime], zone_name: str) -> tuple[int, str] | None:
    """The client's usual weekday and part of day, the most common among their sessions."""
    if not starts:
        return None
    counted = Counter((to_local(s, zone_name).weekday(), part_of_day(s, zone_name)) for s in starts)
    return counted.most_common(1)[0][0]


def fits_usual(instant: datetime, usual: tuple[int, str] | None, zone_name: str) -> bool:
    return usual is not None and (to_local(instant, zone_name).weekday(), part_of_day(instant, zone_name)) == usual


def tag_named_by(only: str) -> str:
    """The button tag the active filter already says ("Evening"), so no button repeats it."""
    return FILTERS.get(only, "")
