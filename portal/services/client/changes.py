"""The client's own changes from a link: what applies now, then confirm, reschedule, switch
mode, cancel or book again, each telling everyone it concerns.

Every change still goes through ``portal.services.sessions.booking`` (one rule, one place);
this module adds what the client's pages need around it, within a small budget of
DynamoDB calls: opening a page is one BatchGetItem, a change is that read plus one
transaction (the slot claims in the transaction settle who gets a time). The open
times live in ``open_times``, the help after a cancel in ``help_offers``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from portal.domain import notices
from portal.domain.audit import Actor
from portal.domain.errors import SlotTaken, SlotUnavailable, ValidationError
from portal.domain.ids import new_id
from portal.domain.model import Appointment, Barrier, InboxItem, Mode, Status
from portal.domain.slots import find_slot
from portal.interfaces import AppointmentContext, Deps
from portal.services.client import notify
from portal.services.client.link_context import LinkNotFound, open_context  # noqa: F401 - LinkNotFound is part of this API
from portal.services.sessions import booking
from portal.services.sessions.open_times import bookable_times

REBOOKABLE = frozenset({Status.CANCELLED, Status.LATE_CANCELLED, Status.NO_SHOW})
STILL_ON = "This session is still on the calendar: you can change its time instead."


def open_link(deps: Deps, token: str) -> AppointmentContext:
    """One BatchGetItem. Raises LinkInvalid, LinkExpired or LinkNotFound."""
    return open_context(deps, token)


# --- what applies now -----------------------------------------------------------------------
@dataclass(frozen=True)
class Choices:
    upcoming: bool  # the session has not started
    can_confirm: bool
    can_change: bool  # reschedule, switch mode, cancel
    switch_to: Mode | None  # the other mode, where the therapist offers it at that time
    late_cancel: bool  # cancelling now counts as late under the practice's policy
    can_rebook: bool


def choices(ctx: AppointmentContext, now: datetime) -> Choices:
    appointment = ctx.appointment
    upcoming = appointment.start > now
    can_change = appointment.status.is_open and upcoming
    other = Mode.IN_PERSON if appointment.mode is Mode.TELE else Mode.TELE
    switch_to = other if can_change and other in booking.modes_available(ctx) else None
    return Choices(
        upcoming=upcoming,
        can_confirm=can_change and appointment.status is Status.SCHEDULED,
        can_change=can_change,
        switch_to=switch_to,
        late_cancel=can_change and booking.is_late_cancel(ctx, now),
        can_rebook=appointment.status in REBOOKABLE,
    )


# --- changes: each commits through booking, then tells the people it concerns ---------------
def _require_upcoming(deps: Deps, ctx: AppointmentContext) -> None:
    if ctx.appointment.start <= deps.clock.now():
        raise ValidationError("This session has already started, so it can't be changed here. "
                              "Please call the practice.")


def confirm(deps: Deps, ctx: AppointmentContext, version: int) -> Appointment | None:
    """None when it was already confirmed: nothing written, nothing sent."""
    _require_upcoming(deps, ctx)
    later = notices.waits(ctx.settings)
    after = booking.confirm(deps, ctx, version, actor=Actor.client("link"), tell_later=later)
    if after is not None and not later:
        notify.send_change(deps, "confirmed", after, ctx.client, ctx.therapist, ctx.settings, asked_by_client=True)
    return after


def reschedule(deps: Deps, ctx: AppointmentContext, start: datetime, version: int,
               mode: Mode | None = None) -> Appointment:
    _require_upcoming(deps, ctx)
    slots = bookable_times(ctx, deps.clock.now())
    later = notices.waits(ctx.settings)
    after = booking.reschedule(deps, ctx, start, version, actor=Actor.client("link"),
                               mode=mode or ctx.appointment.mode, slots=slots, undoable=True,
                               tell_later=later)
    if not later:
        notify.send_change(deps, "rescheduled", after, ctx.client, ctx.therapist, ctx.settings, asked_by_client=True)
    return after


def switch_mode(deps: Deps, ctx: AppointmentContext, mode: Mode, version: int,
                confirm: bool = False) -> Appointment:
    """``confirm``: "Keep it, by video" also says the client will come."""
    _require_upcoming(deps, ctx)
    later = notices.waits(ctx.settings)
    after = booking.switch_mode(deps, ctx, mode, version, actor=Actor.client("link"), tell_later=later,
                                confirm=confirm)
    if after.version != ctx.appointment.version and not later:
        notify.send_change(deps, "mode", after, ctx.client, ctx.therapist, ctx.settings, asked_by_client=True)
    return after


def cancel(deps: Deps, ctx: AppointmentContext, version: int, barrier: Barrier | None = None,
           note: str = "") -> Appointment:
    """Cancel, keeping what the client told us: on the session and, in the same
    transaction, in the therapist's inbox. Then the client and the therapist hear of it,
    at once: a cancel is final for the client (nothing to coalesce), and it frees the time.
    A change notice still pending is superseded by it (portal.domain.notices)."""
    note = (note or "").strip()
    extra = []
    if barrier or note:
        extra.append(deps.store.inbox_record(InboxItem(
            therapist_id=ctx.therapist.id, at=deps.clock.now(),
            kind="barrier" if barrier else "note", client_id=ctx.client.id,
            appointment_id=ctx.appointment.id, barrier=barrier, text=note, id=new_id())))
    after = booking.cancel(deps, ctx, version, barrier=barrier, note=note, actor=Actor.client("link"), extra=extra)
    notify.send_change(deps, "cancelled", after, ctx.client, ctx.therapist, ctx.settings, asked_by_client=True)
    notify.notify_therapist_of_cancel(deps, after, ctx.client, ctx.therapist, ctx.settings)
    return after


def rebook_id(source_id: str) -> str:
    """The new session's id follows from the one it replaces, so a double tap books once."""
    return hashlib.sha256(f"rebook:{source_id}".encode()).hexdigest()[:10]


def rebook(deps: Deps, ctx: AppointmentContext, start: datetime,
           mode: Mode | None = None) -> tuple[Appointment, bool]:
    """Book a new session with the same therapist after a cancel or a missed one. The client's
    pages come through ``client_moves.rebook``, which asks first and checks their other sessions.

    Returns (appointment, created); a repeat of the same request returns the session it made.
    """
    if ctx.appointment.status not in REBOOKABLE:
        raise ValidationError(STILL_ON)
    slot = find_slot(bookable_times(ctx, deps.clock.now()), start)
    if slot is None:
        raise SlotUnavailable("That time is no longer open. Here are the times that are.")
    chosen = booking.mode_at(slot, mode or ctx.appointment.mode)
    new_id_ = rebook_id(ctx.appointment.id)
    later = notices.waits(ctx.settings)
    try:  # checked against the grid above; the claims in the transaction refuse a taken time
        booked = booking.record_booking(
            deps, ctx.therapist, ctx.client, start, chosen, actor=Actor.client("link"),
            location=ctx.appointment.location, how=booking.HowRecorded(
                appointment_id=new_id_, status=Status.CONFIRMED,  # the client chose this time themselves
                tell_later=later, mode_news=chosen is not ctx.appointment.mode))
    except (ValidationError, SlotUnavailable, SlotTaken):
        # A second tap finds its own booking holding the time: answer with that booking.
        existing = deps.store.get_appointment(new_id_, consistent=True)
        if existing is not None and existing.client_id == ctx.client.id:
            return existing, False
        raise
    if not later:
        notify.send_change(deps, "rebooked", booked, ctx.client, ctx.therapist, ctx.settings, asked_by_client=True,
                           mode_changed=chosen is not ctx.appointment.mode)
    return booked, True


def rebooked_as(deps: Deps, ctx: AppointmentContext) -> Appointment | None:
    """The session already booked from this link, if any (one GetItem)."""
    found = deps.store.get_appointment(rebook_id(ctx.appointment.id))
    return found if found is not None and found.client_id == ctx.client.id else None


__all__ = ["open_link", "choices", "Choices", "confirm", "reschedule", "switch_mode", "cancel",
           "rebook", "rebooked_as"]
