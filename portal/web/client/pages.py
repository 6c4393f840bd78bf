"""The client's pages that only show (GET and HEAD): nothing here writes anything."""
from __future__ import annotations

from datetime import date

from flask import Response, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from portal.calendar import CONTENT_TYPE, filename_for, ics_bytes
from portal.domain import wording
from portal.domain.errors import SlotUnavailable, ValidationError
from portal.domain.model import Mode, Status
from portal.domain.time_filters import EVENING_OR_WEEKEND, FILTERS
from portal.services.client import changes as actions
from portal.services.client import help_offers, moves
from portal.services.sessions import open_times
from portal.services.sessions.booking import NOTE_MAX
from portal.web import deps
from portal.web.client import bp, closed, load, now, page
from portal.web.client.forms import BarrierForm, mode_of


@bp.get("/<token>")
def show(token: str) -> ResponseReturnValue:
    ctx = load(token)
    if not ctx.appointment.status.is_open:
        already = actions.rebooked_as(deps(), ctx) if ctx.appointment.status in actions.REBOOKABLE else None
        if already is not None and already.status.is_open:  # the old link leads to its new session
            return redirect(url_for("client.show", token=deps().links.token(already)))
        return closed(ctx)
    return page("client/appointment.html", ctx, choices=actions.choices(ctx, now()),
                undo=moves.undo_offer(deps(), ctx))


@bp.get("/<token>/confirm")
def confirm_page(token: str) -> ResponseReturnValue:
    """Where a message's "Yes, I'll be there" lands: one question, one button that POSTs.
    Opening it changes nothing (mail scanners open links)."""
    ctx = load(token)
    if not ctx.appointment.status.is_open:
        return closed(ctx)
    choices = actions.choices(ctx, now())
    if not choices.upcoming:
        return redirect(url_for("client.show", token=token))
    return page("client/confirm.html", ctx, choices=choices,
                ask_when=wording.when(ctx.appointment.start, ctx.client.timezone))


@bp.get("/<token>/calendar.ics")
def calendar_file(token: str) -> ResponseReturnValue:
    ctx = load(token)
    a = ctx.appointment
    data = ics_bytes(a, ctx.client, ctx.therapist, ctx.settings, deps().links.appointment_url(a),
                     now=now())
    return Response(data, mimetype=CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename_for(a, ctx.client.timezone)}"'})


def _from_day() -> date | None:
    try:
        return date.fromisoformat(request.args.get("from", ""))
    except ValueError:
        return None


def times_page(ctx, *, rebook=False, status=200, error="", **values):
    """The reschedule page, or (``rebook``) the page for booking a new time after a cancel."""
    mode = values.pop("mode", None) or mode_of(request.args.get("mode"))
    reading = request.method in ("GET", "HEAD")
    only = request.args.get("only", "") if reading else ""
    only = only if only in FILTERS or only == EVENING_OR_WEEKEND else ""
    from_day = _from_day() if reading else None
    found = open_times.picker(deps(), ctx, mode, only, from_day)
    return page("client/times.html", ctx, status, rebook=rebook, error=error, mode=mode, only=only,
                from_day=from_day, filters={k: FILTERS[k] for k in found.kinds}, listing=found.listing,
                suggested=found.suggested, others=found.others, **values)


@bp.get("/<token>/reschedule")
def reschedule(token: str) -> ResponseReturnValue:
    ctx = load(token)
    if not ctx.appointment.status.is_open:
        return redirect(url_for("client.rebook", token=token))
    if not actions.choices(ctx, now()).can_change:
        flash("This session has already started, so its time can't be changed here.", "warning")
        return redirect(url_for("client.show", token=token))
    return times_page(ctx)


@bp.get("/<token>/move")
def move(token: str) -> ResponseReturnValue:
    """Before a move that changes the mode or lands within 24 hours: ask. GET writes nothing;
    the page's one button POSTs the move."""
    ctx = load(token)
    if not ctx.appointment.status.is_open:
        return closed(ctx)
    if not actions.choices(ctx, now()).can_change:
        return redirect(url_for("client.show", token=token))
    return _ask(ctx, moves.move_for)


@bp.get("/<token>/rebook/ask")
def rebook_ask(token: str) -> ResponseReturnValue:
    """The same ask before booking again after a cancel. GET writes nothing."""
    ctx = load(token)
    if ctx.appointment.status not in actions.REBOOKABLE:
        return redirect(url_for("client.rebook", token=token))
    return _ask(ctx, moves.rebook_for, rebook=True)


def _ask(ctx, plan, rebook=False):
    """The ask page (client/move.html) for the time in the URL, planned by ``plan``."""
    try:
        start = open_times.parse_slot_value(request.args.get("start", ""))
        planned = plan(deps(), ctx, start, mode_of(request.args.get("mode")))
    except (ValidationError, SlotUnavailable) as problem:
        return times_page(ctx, rebook=rebook, status=409 if isinstance(problem, SlotUnavailable) else 400,
                          error=str(problem))
    return page("client/move.html", ctx, move=planned, start_value=open_times.slot_value(start),
                when=wording.when(start, ctx.client.timezone), mode_tele=Mode.TELE, rebook=rebook)


@bp.get("/<token>/cancel")
def cancel(token: str) -> ResponseReturnValue:
    ctx = load(token)
    if not ctx.appointment.status.is_open:
        return closed(ctx)
    if not actions.choices(ctx, now()).can_change:
        flash("This session has already started, so it can't be cancelled here. "
              "Please call the practice.", "warning")
        return redirect(url_for("client.show", token=token))
    return page("client/cancel.html", ctx, form=BarrierForm(), note_max=NOTE_MAX,
                choices=actions.choices(ctx, now()))


@bp.get("/<token>/cancelled")
def cancelled(token: str) -> ResponseReturnValue:
    ctx = load(token)
    if ctx.appointment.status not in (Status.CANCELLED, Status.LATE_CANCELLED):
        return redirect(url_for("client.show", token=token))
    return page("client/cancelled.html", ctx, crisis=help_offers.crisis_help(barrier=ctx.appointment.barrier))


@bp.get("/<token>/rebook")
def rebook(token: str) -> ResponseReturnValue:
    ctx = load(token)
    if ctx.appointment.status.is_open:
        return redirect(url_for("client.reschedule", token=token))
    if ctx.appointment.status not in actions.REBOOKABLE:
        return closed(ctx)
    already = actions.rebooked_as(deps(), ctx)
    if already is not None and already.status.is_open:
        return page("client/closed.html", ctx, 200, can_rebook=False, already=already,
                    already_token=deps().links.token(already),
                    already_when=wording.when(already.start, ctx.client.timezone))
    return times_page(ctx, rebook=True)
