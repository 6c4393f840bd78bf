""""I'd take an earlier time": joining and leaving the waitlist from the appointment page.

GET /<token>/earlier shows the choices (days, times of day, mode, notice); the POST joins
(or updates the choices, keeping one's place); /<token>/earlier/leave is the one-tap way
off. The appointment page shows where the client stands through ``templates/client/_waitlist.html``.
"""
from __future__ import annotations

from flask import flash
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField
from wtforms.validators import AnyOf, Optional

from portal.domain.errors import ValidationError
from portal.domain.model import WEEKDAYS, Mode
from portal.domain.waitlist import NOTICE_CHOICES, PART_HINTS, PART_LABELS, PARTS, WaitlistPrefs
from portal.services.waitlist import entries
from portal.web import deps
from portal.web.client import bp, closed, load, page, to_page

NOTICES = [(str(h), f"{h} hours") for h in NOTICE_CHOICES]
MODE_CHOICES = [("either", "Either"), ("in_person", "In person"), ("tele", "Video")]


class EarlierForm(FlaskForm):
    days = SelectMultipleField(choices=[(str(i), name) for i, name in enumerate(WEEKDAYS)],
                               validate_choice=False)
    parts = SelectMultipleField(choices=list(PART_LABELS.items()), validate_choice=False)
    mode = RadioField(choices=MODE_CHOICES, default="either", validators=[Optional()],
                      validate_choice=False)
    notice = RadioField(choices=NOTICES, default="24", validate_choice=False,
                        validators=[Optional(), AnyOf([v for v, _ in NOTICES] + [None],
                                                      message="Pick how much notice you need.")])


def prefs_of(form: EarlierForm) -> WaitlistPrefs:
    try:
        days = frozenset(int(d) for d in form.days.data or [])
    except ValueError:
        raise ValidationError("Pick at least one day that suits you.") from None
    parts = frozenset(p for p in form.parts.data or [] if p in PARTS)
    mode = form.mode.data if form.mode.data in ("in_person", "tele") else None
    notice = int(form.notice.data) if (form.notice.data or "").isdigit() else 24
    return WaitlistPrefs(weekdays=days, parts=parts, mode=Mode(mode) if mode else None,
                         notice_hours=notice)


def _form_page(ctx, form, status=200, error=""):
    entry = entries.entry_for(deps(), ctx.client.id)
    return page("client/earlier.html", ctx, status, form=form, entry=entry, error=error,
                weekdays=list(enumerate(WEEKDAYS)), part_labels=PART_LABELS, part_hints=PART_HINTS,
                mode_choices=MODE_CHOICES, notices=NOTICES)


def _filled(entry) -> EarlierForm:
    form = EarlierForm(formdata=None)
    prefs = entry.prefs if entry else WaitlistPrefs()
    form.days.data = [str(d) for d in sorted(prefs.weekdays)]
    form.parts.data = sorted(prefs.parts)
    form.mode.data = prefs.mode.value if prefs.mode else "either"
    form.notice.data = str(prefs.notice_hours)
    return form


@bp.get("/<token>/earlier")
def earlier(token: str) -> ResponseReturnValue:
    ctx = load(token)
    if not ctx.appointment.status.is_open:
        return closed(ctx)
    return _form_page(ctx, _filled(entries.entry_for(deps(), ctx.client.id)))


@bp.post("/<token>/earlier")
def earlier_join(token: str) -> ResponseReturnValue:
    ctx = load(token)
    if not ctx.appointment.status.is_open:
        return closed(ctx, 409)
    form = EarlierForm()
    if not form.validate():
        return _form_page(ctx, form, 400, "This page was out of date. Please try again.")
    try:
        entries.join(deps(), ctx, prefs_of(form))
    except ValidationError as problem:
        return _form_page(ctx, form, 400, str(problem))
    flash("You're on the list. When an earlier time that suits you opens, we'll send it to you.",
          "info")
    return to_page(ctx.appointment)


@bp.post("/<token>/earlier/leave")
def earlier_leave(token: str) -> ResponseReturnValue:
    ctx = load(token)
    if FlaskForm().validate():
        entries.leave(deps(), ctx.client.id)
        flash("You've left the list. We won't send you offers of earlier times.", "info")
    return to_page(ctx.appointment)


@bp.context_processor
def waitlist_helpers():
    """For the appointment page's include: where this client stands. The entry came with the
    page's one BatchGetItem (``ctx.waitlist_entry``): no read here."""
    return {"live_waitlist_entry": lambda ctx: entries.live(deps(), ctx.waitlist_entry)}
