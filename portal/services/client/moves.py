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
from portal.domain.errors import SlotUnavailable, StaleVersion, ValidationError
from portal.domain.model import Appointment, Mode
from portal.domain.moves import Move, plan_move, undo_target
from portal.domain.slots import find_slot
from portal.interfaces import AppointmentContext, Deps
from portal.services.client import notify
from portal.services.client.changes import REBOOKABLE, STILL_ON, _require_upcoming, rebook_id, reschedule
from portal.services.client.changes import rebook as book_again
from portal.services.sessions import booking
from portal.services.sessions.open_times import bookable_times, require_clear_of_other_sessions

GONE = "That time is no longer open. Here are the times that are."


def move_for(deps: Deps, ctx: AppointmentContext, start: datetime, mode: Mode | None = None,
             check_others: bool = True) -> Move:
    """What moving to ``start`` would do: its mode there, and whether to ask first.
    ``check_others``: also refuse a time too close to the client's other sessions (one Query
    of their calendar). The move's own commit skips it: the picker already left such times
    out, and a move is held to 2 calls (issue 13); a forged POST could still land one."""
    if start == ctx.appointment.start:
        raise SlotUnavailable(GONE)
    return _plan(deps, ctx, start, ctx.appointment.mode, mode or ctx.appointment.mode, check_others=check_others)


def rebook_for(deps: Deps, ctx: AppointmentContext, start: datetime, mode: Mode | None = None) -> Move:
    """What booking ``start`` after a cancel would do, by the same rule as a move: the mode
    there against the one the client asked for (or had), and whether to ask first. The session
    this link may have booked already is no clash: a second tap answers with it."""
    wanted = mode or ctx.appointment.mode
    return _plan(deps, ctx, start, wanted, wanted, also_ignore=rebook_id(ctx.appointment.id))


def _plan(deps: Deps, ctx: AppointmentContext, start: datetime, current: Mode, wanted: Mode,
          also_ignore: str = "", check_others: bool = True) -> Move:
    now = deps.clock.now()
    slot = find_slot(bookable_times(ctx, now), start)
    if slot is None:
        raise SlotUnavailable(GONE)
    if check_others:
        require_clear_of_other_sessions(deps, ctx, slot, also_ignore)
    return plan_move(ctx.appointment.start, current, start, booking.mode_at(slot, wanted), now)


def move(deps: Deps, ctx: AppointmentContext, start: datetime, version: int,
         mode: Mode | None = None, *, confirmed: bool = False) -> Appointment | Move:
    """Move the session, or (a change of mode, or within 24 hours, not yet confirmed) return
    the Move for the client to confirm first. Nothing is written then."""
    _require_upcoming(deps, ctx)
    planned = move_for(deps, ctx, start, mode, check_others=False)
    if planned.needs_confirming and not confirmed:
        return planned
    return reschedule(deps, ctx, start, version, planned.mode)


def rebook(deps: Deps, ctx: AppointmentContext, start: datetime, mode: Mode | None = None, *,
           confirmed: bool = False) -> tuple[Appointment, bool] | Move:
    """Book a new time after a cancel, or (as for a move) return the Move to confirm first."""
    if ctx.appointment.status not in REBOOKABLE:
        raise ValidationError(STILL_ON)
    planned = rebook_for(deps, ctx, start, mode)
    if planned.needs_confirming and not confirmed:
        return planned
    return book_again(deps, ctx, start, planned.mode)


def place(appointment: Appointment, therapist_name: str) -> str:
    """Where the session will be, in words: "by video (join link: ...)" or "in person at ..."."""
    if appointment.mode is Mode.TELE:
        if appointment.join_url:
            return f"by video (join link: {appointment.join_url})"
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
                               mode=Mode(earlier.mode), slots=bookable_times(ctx, now), tell_later=later,
                               restore=earlier)
    if not later:  # otherwise a move and its undo coalesce: usually nothing is sent
        notify.send_change(deps, "rescheduled", after, ctx.client, ctx.therapist, ctx.settings, asked_by_client=True)
    return after


__all__ = ["move_for", "move", "rebook_for", "rebook", "place", "UndoOffer", "undo_offer", "undo"]
