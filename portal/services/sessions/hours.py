"""A therapist's weekly hours, time off and session length, and what a change leaves outside them."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from portal.domain.errors import DomainError, ValidationError
from portal.domain.model import WEEKDAYS, Appointment, Availability, AvailabilityWindow, Mode, Therapist, TimeOff
from portal.domain.slots import outside_hours
from portal.domain.wording import wall_clock
from portal.interfaces import Deps
from portal.services.waitlist.new_hours import hours_records
from portal.services.workspace.inputs import FormErrors, parse_day, parse_time


def parse_windows(rows: list[dict]) -> tuple[list[AvailabilityWindow], dict[int, str]]:
    """Rows of weekday/start/end/modes; blank or removed rows are dropped. Errors by row."""
    windows, errors, kept_rows = [], {}, []
    for n, row in enumerate(rows):
        if row.get("remove") or not any((row.get("start"), row.get("end"))):
            continue
        try:
            weekday = int(row.get("weekday") or "")  # a row without a day is the person's to fix
            modes = frozenset(Mode(m) for m in row.get("modes") or ())
            window = AvailabilityWindow(weekday, parse_time(row.get("start")),
                                        parse_time(row.get("end")), modes)
        except (ValueError, TypeError, DomainError) as problem:
            errors[n] = _row_message(problem)
            continue
        windows.append(window)
        kept_rows.append(n)
    for i, a in enumerate(windows):
        for b, row_b in zip(windows[i + 1:], kept_rows[i + 1:]):
            if a.overlaps(b):
                errors.setdefault(row_b, f"Overlaps {WEEKDAYS[a.weekday]} {wall_clock(a.start)} to "
                                         f"{wall_clock(a.end)}. Please adjust one of them.")
    return windows, errors


def _row_message(problem: Exception) -> str:
    if isinstance(problem, DomainError):
        return str(problem)
    return "Pick a day, a start and an end time, and at least one way to meet."


def parse_time_off(rows: list[dict], today: date) -> tuple[list[TimeOff], dict[int, str]]:
    found, errors = [], {}
    for n, row in enumerate(rows):
        if row.get("remove") or not any((row.get("first_day"), row.get("last_day"))):
            continue
        try:
            first = parse_day(row.get("first_day"), today)
            last = parse_day(row.get("last_day") or row.get("first_day"), today)
            found.append(TimeOff(first, last, (row.get("reason") or "").strip()[:80]))
        except ValidationError as problem:
            errors[n] = str(problem)
    return found, errors


def session_settings(therapist: Therapist, session_minutes: str, buffer_minutes: str) -> Therapist:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field, raw in (("session_minutes", session_minutes), ("buffer_minutes", buffer_minutes)):
        try:
            values[field] = int(raw)
            replace(therapist, **{field: values[field]})  # the model checks the range
        except ValidationError as problem:
            errors[field] = str(problem)
        except ValueError:
            errors[field] = "Please enter a number of minutes."
    if errors:
        raise FormErrors(errors)
    return replace(therapist, **values)


def save_availability(deps: Deps, therapist: Therapist, availability: Availability,
                      updated: Therapist) -> Availability:
    """Version-guarded: a stale form raises StaleVersion and changes nothing. Time the new hours
    open is offered to the waitlist, planned in the same write."""
    extra = hours_records(deps, therapist, updated, availability)
    stored = deps.store.save_availability(therapist.id, availability, extra=extra)
    if (updated.session_minutes, updated.buffer_minutes) != (therapist.session_minutes,
                                                             therapist.buffer_minutes):
        deps.store.update_therapist(updated)
    return stored


OUTSIDE_HOURS_DAYS = 120


def sessions_outside_hours(deps: Deps, therapist: Therapist, availability: Availability,
                           ahead: list[Appointment] | None = None) -> list[Appointment]:
    """Booked sessions ahead that the current hours no longer cover: kept, never moved.

    ``ahead`` may be the calendar the caller already read (from now, 120 days on)."""
    now = deps.clock.now()
    if ahead is None:
        ahead = deps.store.therapist_appointments(therapist.id, now, now + timedelta(days=OUTSIDE_HOURS_DAYS))
    return [a for a in ahead if a.start > now and outside_hours(a, availability, therapist)]
