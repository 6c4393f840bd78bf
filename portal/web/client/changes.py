"""The client's changes: each a POST with a CSRF token and the version the client saw.

Each reads the session once (the token's BatchGetItem) and commits once through the
services. A stale version shows the session as it is now, kindly (409); a taken time
shows fresh times; a closed session shows its friendly page. Never a 500.
"""
from __future__ import annotations

from flask import flash, redirect, url_for

from portal.domain import wording
from portal.domain.errors import (
    DomainError, InvalidTransition, SlotTaken, SlotUnavailable, StaleVersion, ValidationError,
)
from portal.domain.model import Mode
from portal.services import client_changes as actions, help_offers, open_times
from portal.services.booking import NOTE_MAX
from portal.web import deps
from portal.web.client import bp, closed, load, now, page, to_page
from portal.web.client.pages import times_page
from portal.web.client.forms import (
    BarrierForm, CancelForm, ConfirmForm, ModeForm, RebookForm, RescheduleForm, barrier_of, mode_of,
)

CHANGED = ("This session was changed a moment ago, perhaps from another message or device. "
           "Here is how it stands now.")


def current_state(token, notice: str = CHANGED, status: int = 409):
    """Read again and show the session as it is now, with a kind word about why."""
    ctx = load(token)
    if not ctx.appointment.status.is_open:
        return closed(ctx, status, notice)
    return page("client/appointment.html", ctx, status, notice=notice,
                choices=actions.choices(ctx, now()))


def first_error(form) -> str:
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return "Please try again."


def _refused(token, ctx, error: DomainError):
    """Map what the rules refused to a page: never an error page for a client."""
    if isinstance(error, (StaleVersion, InvalidTransition)):
        return current_state(token)
    return page("client/appointment.html", ctx, 400, notice=str(error),
                choices=actions.choices(ctx, now()))


@bp.post("/<token>/confirm")
def confirm(token):
    ctx = load(token)
    form = ConfirmForm()
    if not ctx.appointment.status.is_open:
        return closed(ctx, 409)
    if not form.validate():
        return current_state(token, first_error(form), 400)
    try:
        after = actions.confirm(deps(), ctx, form.version.data)
    except DomainError as error:
        return _refused(token, ctx, error)
    if after is None:
        flash("You're already confirmed. See you then.", "info")
        return to_page(ctx.appointment)
    flash("Thank you, you're confirmed. We look forward to seeing you.", "info")
    return to_page(after)


@bp.post("/<token>/mode")
def switch_mode(token):
    ctx = load(token)
    form = ModeForm()
    if not ctx.appointment.status.is_open:
        return closed(ctx, 409)
    if not form.validate():
        return current_state(token, first_error(form), 400)
    mode = Mode(form.mode.data)
    try:
        after = actions.switch_mode(deps(), ctx, mode, form.version.data)
    except DomainError as error:
        return _refused(token, ctx, error)
    flash("Done: your session is now by video. The join link is below." if mode is Mode.TELE
          else "Done: your session is now in person.", "info")
    return to_page(after)


@bp.post("/<token>/reschedule")
def reschedule_post(token):
    ctx = load(token)
    form = RescheduleForm()
    if not ctx.appointment.status.is_open:
        return closed(ctx, 409)
    if not form.validate():
        if "version" in form.errors:
            return current_state(token, first_error(form), 400)
        return times_page(ctx, status=400, error=first_error(form))
    try:
        start = open_times.parse_slot_value(form.start.data)
        after = actions.reschedule(deps(), ctx, start, form.version.data, mode_of(form.mode.data))
    except (SlotTaken, SlotUnavailable) as taken:
        return times_page(ctx, status=409, error=str(taken), mode=mode_of(form.mode.data))
    except ValidationError as error:
        return times_page(ctx, status=400, error=str(error), mode=mode_of(form.mode.data))
    except DomainError as error:
        return _refused(token, ctx, error)
    zone_name = ctx.client.timezone
    flash(f"Done: your session is now {wording.when(after.start, zone_name)}.", "info")
    return to_page(after)


@bp.post("/<token>/cancel/help")
def cancel_help(token):
    """Step two of cancelling: what might help with what got in the way. Changes nothing."""
    ctx = load(token)
    form = BarrierForm()
    if not ctx.appointment.status.is_open:
        return closed(ctx, 409)
    choices = actions.choices(ctx, now())
    if not form.validate():
        return page("client/cancel.html", ctx, 400, form=form, choices=choices, note_max=NOTE_MAX)
    barrier = barrier_of(form.barrier.data)
    offer = help_offers.offer_for(deps(), ctx, barrier)
    offered = open_times.group_by_day(offer.slots, ctx.client.timezone,
                                   offer.slots_mode or ctx.appointment.mode)
    return page("client/cancel_help.html", ctx, choices=choices, barrier=barrier,
                note=(form.note.data or "").strip(), offer=offer, offered_days=offered.days,
                mode_tele=Mode.TELE)


@bp.post("/<token>/cancel")
def cancel_post(token):
    ctx = load(token)
    form = CancelForm()
    if not ctx.appointment.status.is_open:
        return closed(ctx, 409)
    if not form.validate():
        return current_state(token, first_error(form), 400)
    try:
        after = actions.cancel(deps(), ctx, form.version.data, barrier_of(form.barrier.data),
                               form.note.data or "")
    except DomainError as error:
        return _refused(token, ctx, error)
    return to_page(after, "client.cancelled")


@bp.post("/<token>/rebook")
def rebook_post(token):
    ctx = load(token)
    form = RebookForm()
    if ctx.appointment.status not in actions.REBOOKABLE:
        return redirect(url_for("client.show", token=token))
    if not form.validate():
        return times_page(ctx, rebook=True, status=400, error=first_error(form))
    try:
        start = open_times.parse_slot_value(form.start.data)
        booked, created = actions.rebook(deps(), ctx, start, mode_of(form.mode.data))
    except (SlotTaken, SlotUnavailable) as taken:
        return times_page(ctx, rebook=True, status=409, error=str(taken))
    except DomainError as error:
        return times_page(ctx, rebook=True, status=400, error=str(error))
    zone_name = ctx.client.timezone
    when = wording.when(booked.start, zone_name)
    flash(f"You're booked for {when}. We look forward to seeing you." if created
          else f"You already booked {when}. Here it is.", "info")
    return to_page(booked)
