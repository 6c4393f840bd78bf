"""The one-tap check-in page at /c/<token> (the link in a check-in message): the views.

GET only shows (an email's score buttons open it with ``?score=N`` pre-selected, and
nothing is stored until the client sends the form); every change is a POST with a CSRF
token. After an answer the client lands on a thank-you page (post/redirect/get), which,
for a barrier, offers the same help as the cancel flow (``help_offers.offer_for``).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.domain import wording
from portal.domain.errors import ValidationError
from portal.domain.model import Barrier, Mode
from portal.services.client import help_offers
from portal.services.messaging import checkins
from portal.web import deps
from portal.web.checkin import bp
from portal.web.checkin.forms import CheckinForm, ToggleForm


def _page(template: str, ctx, status: int = 200, **values):
    a = ctx.appointment
    return render_template(
        template, ctx=ctx, token=request.view_args["token"], practice_name=ctx.settings.display_name,
        contact_phone=ctx.settings.contact_phone, contact_tel=wording.tel(ctx.settings.contact_phone),
        next_day=wording.day(a.start, ctx.client.timezone),
        next_when=wording.message_when(a.start, ctx.client.timezone),
        next_open=a.status.is_open, appointment_token=deps().links.token(a),
        crisis_choice=help_offers.crisis_choice, **values), status


@bp.get("/<token>")
def show(token: str) -> ResponseReturnValue:
    ctx = checkins.open_checkin(deps(), token)
    if not request.args.get("again"):
        sent = checkins.answer_already_sent(deps(), ctx)
        if sent is not None:
            return _page("checkin/sent.html", ctx, sent=sent,
                         sent_when=wording.when(sent.at, ctx.client.timezone),
                         sent_label=dict(checkins.SCORES).get(sent.score, ""))
    form = CheckinForm(formdata=None)
    score = request.args.get("score", "")
    if score in {str(n) for n, _ in checkins.SCORES}:
        form.score.data = score
    return _page("checkin/form.html", ctx, form=form)


@bp.post("/<token>")
def answer(token: str) -> ResponseReturnValue:
    ctx = checkins.open_checkin(deps(), token)
    form = CheckinForm()
    if not form.validate():
        return _page("checkin/form.html", ctx, 400, form=form)
    try:
        parsed = checkins.parse_answer(form.score.data, form.barrier.data, form.note.data)
    except ValidationError as problem:
        form.score.errors = [str(problem)]
        return _page("checkin/form.html", ctx, 400, form=form)
    checkins.record_answer(deps(), ctx, parsed)
    # The answer stays on the server: the URL (and so every access log) carries nothing of it.
    return redirect(url_for("checkin.thanks", token=token))


@bp.get("/<token>/thanks")
def thanks(token: str) -> ResponseReturnValue:
    ctx = checkins.open_checkin(deps(), token)
    answer = checkins.last_answer(deps(), ctx)
    score, barrier = (answer.score, _barrier(answer.barrier)) if answer else (None, None)
    offer = help_offers.offer_for(deps(), ctx, barrier) if barrier and ctx.appointment.status.is_open else None
    crisis = help_offers.crisis_help(score, barrier)
    return _page("checkin/thanks.html", ctx, offer=offer, low=score in (1, 2), crisis=crisis, mode_tele=Mode.TELE)


def _barrier(value):
    try:
        return Barrier(value) if value else None
    except ValueError:
        return None


@bp.post("/<token>/off")
def turn_off(token: str) -> ResponseReturnValue:
    return _toggle(token, False)


@bp.post("/<token>/on")
def turn_on(token: str) -> ResponseReturnValue:
    return _toggle(token, True)


def _toggle(token, enabled: bool):
    ctx = checkins.open_checkin(deps(), token)
    if not ToggleForm().validate():
        return _page("checkin/form.html", ctx, 400, form=CheckinForm(formdata=None))
    checkins.set_checkins(deps(), ctx, enabled)
    flash("Check-in messages are back on. Thank you." if enabled else
          "Done: we won't send you check-in messages. Your session reminders still come as before.",
          "info")
    return redirect(url_for("checkin.show", token=token))
