"""Changes a therapist makes for a client (who called, or asked in a session).

Each goes through portal.services.sessions.booking, as the client's own links do (same conflict
rules, same audit trail, by ``Actor.therapist(id)`` via "workspace"), and then the client
hears of it on their channels through the same confirmations (portal.services.client.notify),
so nobody turns up at a time that has moved. A weekly series is booked here too.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Sequence

from portal.domain.audit import Actor
from portal.domain.errors import DomainError, SlotTaken, ValidationError
from portal.domain.model import Appointment, Availability, Barrier, Client, Mode, Status, Therapist
from portal.domain.slots import closed_day, modes_offered_at, outside_hours
from portal.domain.timemath import local_wall_to_utc, to_local
from portal.interfaces import AppointmentContext, Deps
from portal.services.client import notify
from portal.services.sessions import booking
from portal.services.workspace.inputs import in_date_window

VIA = "workspace"
SERIES_MAX = 26


def actor_for(therapist: Therapist, via: str = VIA) -> Actor:
    return Actor.therapist(therapist.id, via)


def _tell(deps: Deps, kind: str, after: Appointment, ctx: AppointmentContext) -> None:
    notify.send_change(deps, kind, after, ctx.client, ctx.therapist, ctx.settings)


def confirm(deps: Deps, ctx: AppointmentContext, version: int, by: Therapist) -> Appointment | None:
    """The client confirmed by phone: recorded as confirmed "via therapist" (not a reminder)."""
    after = booking.confirm(deps, ctx, version, actor=actor_for(by, "therapist"))
    if after is not None:
        _tell(deps, "confirmed", after, ctx)
    return after


def reschedule(deps: Deps, ctx: AppointmentContext, start: datetime, version: int, by: Therapist,
               mode: Mode | None = None) -> Appointment:
    after = booking.reschedule(deps, ctx, start, version, actor=actor_for(by), mode=mode)
    _tell(deps, "rescheduled", after, ctx)
    return after


def switch_mode(deps: Deps, ctx: AppointmentContext, mode: Mode, version: int, by: Therapist) -> Appointment:
    after = booking.switch_mode(deps, ctx, mode, version, actor=actor_for(by))
    if after.version != ctx.appointment.version:
        _tell(deps, "mode", after, ctx)
    return after


def cancel(deps: Deps, ctx: AppointmentContext, version: int, by: Therapist,
           barrier: Barrier | None = None, note: str = "") -> Appointment:
    """Cancelled by the therapist: never a late cancellation (booking decides that by actor)."""
    after = booking.cancel(deps, ctx, version, barrier=barrier, note=note, actor=actor_for(by))
    _tell(deps, "cancelled", after, ctx)
    return after


def mark_attendance(deps: Deps, ctx: AppointmentContext, status: Status, version: int,
                    by: Therapist) -> Appointment:
    return booking.mark_attendance(deps, ctx, status, version, actor=actor_for(by))


def book(deps: Deps, therapist: Therapist, client: Client, start: datetime, mode: Mode, by: Therapist,
         location: str = "") -> Appointment:
    """One session from the open times; the client gets a "you're booked" message."""
    booked = booking.book_open_time(deps, therapist, client, start, mode, actor=actor_for(by),
                                    location=location)
    _tell_booked(deps, booked, client, therapist)
    return booked


@dataclass(frozen=True)
class SeriesResult:
    day: date
    start: datetime | None
    booked: Appointment | None = None
    problem: str = ""


def book_series(deps: Deps, therapist: Therapist, client: Client, first_start: datetime,
                every_weeks: int, count: int, mode: Mode, by: Therapist, location: str = "",
                availability: Availability | None = None) -> list[SeriesResult]:
    """Up to ``count`` sessions at the same local time, weekly or fortnightly, each in its own
    transaction. A date whose time is taken, falls on time off or outside the weekly hours
    is reported and skipped; the others are booked. The client hears once, in one message
    listing every date booked (reminders follow for each), rather than once per session."""
    if every_weeks not in (1, 2):
        raise ValidationError("Pick weekly or every two weeks.")
    if not 1 <= count <= SERIES_MAX:
        raise ValidationError(f"A series can hold 1 to {SERIES_MAX} sessions.")
    if first_start <= deps.clock.now():
        raise ValidationError("The first session must be in the future.")
    in_date_window(first_start.date(), deps.clock.now().date())
    availability = availability or deps.store.get_availability(therapist.id)
    settings = deps.store.get_settings()  # its closed days
    local = to_local(first_start, therapist.timezone)
    results = []
    for n in range(count):
        day = local.date() + timedelta(weeks=n * every_weeks)
        start = local_wall_to_utc(day, local.time(), therapist.timezone)
        results.append(SeriesResult(day, start, problem="The practice is closed that day.")
                       if closed_day(settings, day) else
                       _book_one(deps, therapist, client, availability, day, start, mode, actor_for(by), location))
    booked = [r.booked for r in results if r.booked]
    if booked:
        _tell_booked(deps, booked[0], client, therapist, series=booked)
    return results


def _book_one(deps: Deps, therapist: Therapist, client: Client, availability: Availability, day: date,
              start: datetime | None, mode: Mode, actor: Actor, location: str) -> SeriesResult:
    if start is None:
        return SeriesResult(day, None, problem="The clocks change at that time on this day.")
    probe = Appointment("probe", therapist.id, client.id, start,
                        start + timedelta(minutes=therapist.session_minutes), mode)
    if any(off.covers(day) for off in availability.time_off):
        return SeriesResult(day, start, problem="You are off that day.")
    if outside_hours(probe, availability, therapist):
        return SeriesResult(day, start, problem="Outside your weekly hours.")
    if mode not in modes_offered_at(availability, therapist, start):
        return SeriesResult(day, start, problem=f"Not offered {mode.label} at that time.")
    try:
        booked = booking.record_booking(deps, therapist, client, start, mode, actor=actor,
                                        location=location)
    except SlotTaken:
        return SeriesResult(day, start, problem="That time is already taken.")
    except DomainError as problem:
        return SeriesResult(day, start, problem=str(problem))
    return SeriesResult(day, start, booked=booked)


def _tell_booked(deps: Deps, appointment: Appointment, client: Client, therapist: Therapist,
                 series: Sequence[Appointment] = ()) -> None:
    notify.send_change(deps, "rebooked", appointment, client, therapist, deps.store.get_settings(),
                       series=series)
