"""Changes a therapist makes for a client (who called, or asked in a session).

Each goes through portal.services.booking, as the client's own links do (same conflict
rules, same audit trail, with actor "therapist:<id>" and via "workspace"), and then the
client hears of it on their channels through the same confirmations (portal.services.notify),
so nobody turns up at a time that has moved.
"""
from __future__ import annotations

from datetime import datetime

from portal.domain.model import Appointment, Barrier, Client, Mode, Status, Therapist
from portal.interfaces import AppointmentContext, Deps
from portal.services import booking, notify, workspace

VIA = "workspace"


def actor_for(therapist: Therapist) -> str:
    return f"therapist:{therapist.id}"


def _tell(deps: Deps, kind: str, after: Appointment, ctx: AppointmentContext):
    notify.send_change(deps, kind, after, ctx.client, ctx.therapist, ctx.settings)


def confirm(deps: Deps, ctx: AppointmentContext, version: int, by: Therapist) -> Appointment | None:
    """The client confirmed by phone: recorded as confirmed "via therapist" (not a reminder)."""
    after = booking.confirm(deps, ctx, version, actor=actor_for(by), via="therapist")
    if after is not None:
        _tell(deps, "confirmed", after, ctx)
    return after


def reschedule(deps: Deps, ctx: AppointmentContext, start: datetime, version: int, by: Therapist,
               mode: Mode | None = None) -> Appointment:
    after = booking.reschedule(deps, ctx, start, version, actor=actor_for(by), via=VIA, mode=mode)
    _tell(deps, "rescheduled", after, ctx)
    return after


def switch_mode(deps: Deps, ctx: AppointmentContext, mode: Mode, version: int, by: Therapist) -> Appointment:
    after = booking.switch_mode(deps, ctx, mode, version, actor=actor_for(by), via=VIA)
    if after.version != ctx.appointment.version:
        _tell(deps, "mode", after, ctx)
    return after


def cancel(deps: Deps, ctx: AppointmentContext, version: int, by: Therapist,
           barrier: Barrier | None = None, note: str = "") -> Appointment:
    """Cancelled by the therapist: never a late cancellation (booking decides that by actor)."""
    after = booking.cancel(deps, ctx, version, barrier=barrier, note=note, actor=actor_for(by), via=VIA)
    _tell(deps, "cancelled", after, ctx)
    return after


def mark_attendance(deps: Deps, ctx: AppointmentContext, status: Status, version: int,
                    by: Therapist) -> Appointment:
    return booking.mark_attendance(deps, ctx, status, version, actor=actor_for(by), via=VIA)


def book(deps: Deps, therapist: Therapist, client: Client, start: datetime, mode: Mode, by: Therapist,
         location: str = "") -> Appointment:
    """One session from the open times; the client gets a "you're booked" message."""
    booked = booking.book_appointment(deps, therapist, client, start, mode, actor=actor_for(by),
                                      via=VIA, location=location)
    _tell_booked(deps, booked, client, therapist)
    return booked


def book_series(deps: Deps, therapist: Therapist, client: Client, first_start: datetime,
                every_weeks: int, count: int, mode: Mode, by: Therapist, location: str = ""):
    """A weekly or fortnightly series; one message for its first session (reminders follow
    for each), rather than one per session."""
    results = workspace.book_series(deps, therapist, client, first_start, every_weeks, count, mode,
                                    actor=actor_for(by), location=location)
    first = next((r.booked for r in results if r.booked), None)
    if first is not None:
        _tell_booked(deps, first, client, therapist)
    return results


def _tell_booked(deps: Deps, appointment: Appointment, client: Client, therapist: Therapist):
    notify.send_change(deps, "rebooked", appointment, client, therapist, deps.store.get_settings())
