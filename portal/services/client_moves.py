"""Around a client's move: ask first when it changes the mode or lands within 24 hours, say
plainly where the session will be, and let the client undo it while the old time is free.

Undo is the page's read (one BatchGetItem) plus one transaction: the old time is checked
against the therapist's grid without reading the calendar, and the time claims in the
transaction refuse it if someone took it meanwhile.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.domain import notices, wording
from portal.domain.audit import Actor
from portal.domain.errors import SlotUnavailable, StaleVersion
from portal.domain.model import Appointment, Mode
from portal.domain.moves import Move, plan_move, undo_target
from portal.domain.slots import find_slot
from portal.interfaces import AppointmentContext, Deps
from portal.services import booking, notify
from portal.services.client_changes import _require_upcoming, reschedule
from portal.services.open_times import bookable_times

GONE = "That time is no longer open. Here are the times that are."


def move_for(deps: Deps, ctx: AppointmentContext, start: datetime, mode: Mode | None = None) -> Move:
    """What moving to ``start`` would do (no read): its mode there, and whether to ask first."""
    now = deps.clock.now()
    slot = find_slot(bookable_times(ctx, now), start)
    if slot is None or start == ctx.appointment.start:
        raise SlotUnavailable(GONE)
    new_mode = booking.mode_at(slot, mode or ctx.appointment.mode)
    return plan_move(ctx.appointment.start, ctx.appointment.mode, start, new_mode, now)


def move(deps: Deps, ctx: AppointmentContext, start: datetime, version: int,
         mode: Mode | None = None, *, confirmed: bool = False) -> Appointment | Move:
    """Move the session, or (a change of mode, or within 24 hours, not yet confirmed) return
    the Move for the client to confirm first. Nothing is written then."""
    _require_upcoming(deps, ctx)
    planned = move_for(deps, ctx, start, mode)
    if planned.needs_confirming and not confirmed:
        return planned
    return reschedule(deps, ctx, start, version, planned.mode)


def place(appointment: Appointment, therapist_name: str) -> str:
    """Where the session will be, in words: "by video: join at ..." or "in person at ..."."""
    if appointment.mode is Mode.TELE:
        if appointment.join_url:
            return f"by video. Join at {appointment.join_url}"
        return f"by video. {therapist_name} will send you the link to join"
    return f"in person at {appointment.location}" if appointment.location else "in person"


# --- undo --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UndoOffer:
    moved_from: str  # "Tue Mar 3, 5:00 PM"
    moved_to: str
    mode_note: str  # "" or "It was in person." when the move changed the mode


def undo_offer(deps: Deps, ctx: AppointmentContext) -> UndoOffer | None:
    """After a client's move: Undo, while the old time is still free. Reads the calendar (one
    Query) only right after a move; otherwise reads nothing."""
    a, zone_name = ctx.appointment, ctx.client.timezone
    earlier = undo_target(a.moved_from, a.version, deps.clock.now())
    if earlier is None or not a.status.is_open:
        return None
    if find_slot(booking.reschedule_options(deps, ctx), earlier.start) is None:
        return None
    mode_note = "" if earlier.mode == a.mode.value else f"It was {Mode(earlier.mode).label}."
    return UndoOffer(wording.short_when(earlier.start, zone_name), wording.short_when(a.start, zone_name),
                     mode_note)


def undo(deps: Deps, ctx: AppointmentContext, version: int) -> Appointment:
    """Put the session back where the client's last move took it from (one transaction).

    StaleVersion when something changed since; SlotTaken/SlotUnavailable when the old time went."""
    _require_upcoming(deps, ctx)
    now, a = deps.clock.now(), ctx.appointment
    earlier = undo_target(a.moved_from, version, now)
    if earlier is None or version != a.version:
        raise StaleVersion()
    later = notices.waits(ctx.settings)
    after = booking.reschedule(deps, ctx, earlier.start, version, actor=Actor.client("link"),
                               mode=Mode(earlier.mode), slots=bookable_times(ctx, now), tell_later=later)
    if not later:  # otherwise a move and its undo coalesce: usually nothing is sent
        notify.send_change(deps, "rescheduled", after, ctx.client, ctx.therapist, ctx.settings, asked_by_client=True)
    return after


__all__ = ["move_for", "move", "place", "UndoOffer", "undo_offer", "undo"]
