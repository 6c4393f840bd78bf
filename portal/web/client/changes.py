"""The client's changes: each a POST with a CSRF token and the version the client saw.

Each reads the session once (the token's BatchGetItem) and commits once through the
services. A stale version shows the session as it is now, kindly (409); a taken time
shows fresh times; a closed session shows its friendly page. Never a 500.
"""
from __future__ import annotations

from functools import wraps

from flask import flash, redirect, url_for

from portal.domain import wording
from portal.domain.errors import (
    DomainError,
    InvalidTransition,
    SlotTaken,
    SlotUnavailable,
    StaleVersion,
    ValidationError,
)
from portal.domain.model import Mode
from portal.domain.moves import Move
from portal.services.client import changes as actions
from portal.services.client import help_offers, moves
from portal.services.sessions import open_times
from portal.services.sessions.booking import NOTE_MAX
from portal.web import deps
from portal.web.client import bp, closed, load, now, page, to_page
from portal.web.client.forms import (
    BarrierForm,
    CancelForm,
    ConfirmForm,
    ModeForm,
    RebookForm,
    RescheduleForm,
    UndoForm,
    barrier_of,
    mode_of,
)
from portal.web.client.pages import times_page

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


def _refused(token, ctx, form, error: DomainError):
    """Map what the rules refused to a page: never an error page for a client."""
    if isinstance(error, (StaleVersion, InvalidTransition)):
        return current_state(token)
    return page("client/appointment.html", ctx, 400, notice=str(error),
                choices=actions.choices(ctx, now()))


def _closed_unless_open(token, ctx):
    return None if ctx.appointment.status.is_open else closed(ctx, 409)


def _invalid(token, ctx, form):
    return current_state(token, first_error(form), 400)


def client_change(rule: str, form_class, *, closed_answer=_closed_unless_open, invalid=_invalid,
                  refused=_refused):
    """A client's POST, in the one shape they share: read the session (one BatchGetItem),
    read the form, answer a closed session kindly, answer an invalid form, then run the
    view's change, mapping what the rules refuse to a page (never an error page)."""
    def attach(change):
        @bp.post(rule, endpoint=change.__name__)
        @wraps(change)
        def view(token):
            ctx = load(token)
            form = form_class()
            answer = closed_answer(token, ctx)
            if answer is not None:
                return answer
            if not form.validate():
                return invalid(token, ctx, form)
            try:
                return change(ctx, form)
            except DomainError as error:
                return refused(token, ctx, form, error)
        return view
    return attach


@client_change("/<token>/confirm", ConfirmForm)
def confirm(ctx, form):
    after = actions.confirm(deps(), ctx, form.version.data)
    if after is None:
        flash("You're already confirmed. See you then.", "info")
        return to_page(ctx.appointment)
    flash("Thank you, you're confirmed. We look forward to seeing you.", "info")
    return to_page(after)


@client_change("/<token>/mode", ModeForm)
def switch_mode(ctx, form):
    mode = Mode(form.mode.data)
    after = actions.switch_mode(deps(), ctx, mode, form.version.data, confirm=form.keep.data == "yes")
    flash(f"Done: your session is now {moves.place(after, ctx.therapist.name)}.", "info")
    return to_page(after)


def _times_invalid(token, ctx, form):
    if "version" in form.errors:
        return current_state(token, first_error(form), 400)
    return times_page(ctx, status=400, error=first_error(form))


def _time_refused(token, ctx, form, error):
    if isinstance(error, (SlotTaken, SlotUnavailable)):
        return times_page(ctx, status=409, error=str(error), mode=mode_of(form.mode.data))
    if isinstance(error, ValidationError):
        return times_page(ctx, status=400, error=str(error), mode=mode_of(form.mode.data))
    return _refused(token, ctx, form, error)


@client_change("/<token>/reschedule", RescheduleForm, invalid=_times_invalid, refused=_time_refused)
def reschedule_post(ctx, form):
    start = open_times.parse_slot_value(form.start.data)
    outcome = moves.move(deps(), ctx, start, form.version.data, mode_of(form.mode.data),
                         confirmed=form.confirmed.data == "yes")
    if isinstance(outcome, Move):  # a change of mode, or within 24 hours: the client's word first
        return to_page(ctx.appointment, "client.move", start=form.start.data, mode=outcome.mode.value)
    when = wording.when(outcome.start, ctx.client.timezone)
    flash(f"Done: your session is now {when}, {moves.place(outcome, ctx.therapist.name)}.", "info")
    return to_page(outcome)


TAKEN_BACK = ("Your earlier time was taken in the meantime, so your session stays where it is now. "
              "You can choose another time below.")


def _undo_refused(token, ctx, form, error):
    if isinstance(error, (SlotTaken, SlotUnavailable)):
        return current_state(token, TAKEN_BACK)
    return _refused(token, ctx, form, error)


@client_change("/<token>/undo", UndoForm, refused=_undo_refused)
def undo_move(ctx, form):
    after = moves.undo(deps(), ctx, form.version.data)
    when = wording.when(after.start, ctx.client.timezone)
    flash(f"Done: your session is back to {when}, {moves.place(after, ctx.therapist.name)}.", "info")
    return to_page(after)


def _barrier_invalid(token, ctx, form):
    return page("client/cancel.html", ctx, 400, form=form, choices=actions.choices(ctx, now()),
                note_max=NOTE_MAX)


@client_change("/<token>/cancel/help", BarrierForm, invalid=_barrier_invalid)
def cancel_help(ctx, form):
    """Step two of cancelling: what might help with what got in the way. Changes nothing."""
    barrier = barrier_of(form.barrier.data)
    offer = help_offers.offer_for(deps(), ctx, barrier)
    offered = open_times.group_by_day(offer.slots, ctx.client.timezone,
                                      offer.slots_mode or ctx.appointment.mode)
    return page("client/cancel_help.html", ctx, choices=actions.choices(ctx, now()), barrier=barrier,
                note=(form.note.data or "").strip(), offer=offer, offered_days=offered.days,
                mode_tele=Mode.TELE)


@client_change("/<token>/cancel", CancelForm)
def cancel_post(ctx, form):
    after = actions.cancel(deps(), ctx, form.version.data, barrier_of(form.barrier.data),
                           form.note.data or "")
    return to_page(after, "client.cancelled")


def _rebookable_only(token, ctx):
    if ctx.appointment.status not in actions.REBOOKABLE:
        return redirect(url_for("client.show", token=token))
    return None


def _rebook_invalid(token, ctx, form):
    return times_page(ctx, rebook=True, status=400, error=first_error(form))


def _rebook_refused(token, ctx, form, error):
    taken = isinstance(error, (SlotTaken, SlotUnavailable))
    return times_page(ctx, rebook=True, status=409 if taken else 400, error=str(error),
                      mode=mode_of(form.mode.data))


@client_change("/<token>/rebook", RebookForm, closed_answer=_rebookable_only, invalid=_rebook_invalid,
               refused=_rebook_refused)
def rebook_post(ctx, form):
    start = open_times.parse_slot_value(form.start.data)
    outcome = moves.rebook(deps(), ctx, start, mode_of(form.mode.data), confirmed=form.confirmed.data == "yes")
    if isinstance(outcome, Move):  # the same ask as a move: another mode, or within 24 hours
        return to_page(ctx.appointment, "client.rebook_ask", start=form.start.data, mode=form.mode.data or None)
    booked, created = outcome
    when = wording.when(booked.start, ctx.client.timezone)
    where = moves.place(booked, ctx.therapist.name)
    flash(f"You're booked for {when}, {where}. We look forward to seeing you." if created
          else f"You already booked {when}, {where}. Here it is.", "info")
    return to_page(booked)
