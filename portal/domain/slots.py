"""Open slots: weekly windows, minus time off and the practice's closed days, booked time with
buffers, minimum notice and horizon; and which booked sessions sit outside the therapist's hours."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.domain.model import Appointment, Availability, Mode, PracticeSettings, Therapist
from portal.domain.timemath import days, is_evening, is_weekend, local_wall_to_utc, to_local


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    end: datetime
    modes: frozenset[Mode]

    def labels(self, zone_name: str) -> list[str]:
        out = []
        if is_evening(self.start, zone_name):
            out.append("Evening")
        if is_weekend(self.start, zone_name):
            out.append("Weekend")
        return out


def busy_intervals(appointments: list[Appointment], buffer: timedelta,
                   ignore_id: str | None = None) -> list[tuple[datetime, datetime]]:
    """What booked sessions hold: each session plus the therapist's buffer after it."""
    return [
        (a.start, a.end + buffer)
        for a in appointments
        if a.status.is_open and a.id != ignore_id
    ]


def closed_on(settings: PracticeSettings, start: datetime, zone_name: str) -> bool:
    """The practice is closed on this start's day, as the therapist's wall clock reads it."""
    return to_local(start, zone_name).date() in settings.closed_days


def closed_day(settings: PracticeSettings, day: date) -> bool:
    return day in settings.closed_days


def open_slots(
    therapist: Therapist,
    availability: Availability,
    booked: list[Appointment],
    settings: PracticeSettings,
    now: datetime,
    *,
    ignore_appointment_id: str | None = None,
    mode: Mode | None = None,
) -> list[Slot]:
    """Every start a client may book now, in UTC order.

    Windows are in the therapist's wall-clock time; each day is walked in that
    zone, so a window keeps its local hours across DST, and a start the clocks
    skip is left out, as are the practice's closed days. A deactivated therapist offers none.
    """
    if not therapist.active:
        return []
    session = timedelta(minutes=therapist.session_minutes)
    buffer = timedelta(minutes=therapist.buffer_minutes)
    step = session + buffer
    earliest = now + timedelta(hours=settings.min_notice_hours)
    latest = now + timedelta(days=settings.booking_horizon_days)
    busy = busy_intervals(booked, buffer, ignore_appointment_id)
    tz_name = therapist.timezone

    slots = []
    first_day = to_local(earliest, tz_name).date()
    last_day = to_local(latest, tz_name).date()
    closed = frozenset(settings.closed_days)
    for day in days(first_day, last_day):
        if day in closed or any(off.covers(day) for off in availability.time_off):
            continue
        for window in availability.windows_on(day.weekday()):
            if mode is not None and mode not in window.modes:
                continue
            wall = datetime.combine(day, window.start)
            window_end = datetime.combine(day, window.end)
            while wall + session <= window_end:
                start = local_wall_to_utc(day, wall.time(), tz_name)
                wall += step
                if start is None or start < earliest or start > latest:
                    continue
                end = start + session
                # The session must end inside the window in local time too (DST nights).
                if to_local(end, tz_name).replace(tzinfo=None) > window_end:
                    continue
                if any(start < b_end and b_start < end + buffer for b_start, b_end in busy):
                    continue
                slots.append(Slot(start, end, window.modes))
    slots.sort(key=lambda s: s.start)
    return slots


def find_slot(slots: list[Slot], start: datetime) -> Slot | None:
    return next((s for s in slots if s.start == start), None)


def clear_of(slot: Slot, sessions: list[Appointment], gap: timedelta) -> bool:
    """The slot neither overlaps nor comes within ``gap`` of any of these sessions."""
    return all(slot.start >= a.end + gap or slot.end + gap <= a.start for a in sessions)


def modes_offered_at(availability: Availability, therapist: Therapist, start: datetime) -> frozenset[Mode]:
    """Modes the therapist offers in the window that holds this start (empty if none)."""
    local = to_local(start, therapist.timezone)
    for window in availability.windows_on(local.weekday()):
        if window.start <= local.time() < window.end:
            return window.modes
    return frozenset()


def outside_hours(appointment: Appointment, availability: Availability, therapist: Therapist) -> bool:
    """An open session no longer inside a weekly window, or on a day off.

    Such sessions are kept as booked; the workspace flags them so the therapist decides.
    """
    if not appointment.status.is_open:
        return False
    start = to_local(appointment.start, therapist.timezone)
    end = to_local(appointment.end, therapist.timezone)
    if any(off.covers(start.date()) for off in availability.time_off):
        return True
    if end.date() != start.date():
        return True
    return not any(w.start <= start.time() and end.time() <= w.end
                   for w in availability.windows_on(start.weekday()))
