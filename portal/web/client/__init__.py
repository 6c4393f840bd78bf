"""The client's pages under /a/<token>: the blueprint and what its views share.

GET and HEAD only show (``pages.py``); every change is a POST (``changes.py``) carrying a CSRF token
and the version of the session the client saw. A bad link gets the shared friendly 4xx
page (``portal.web.link_problem``) that shows no session data.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from portal.calendar import calendar_links
from portal.domain import wording
from portal.domain.model import Appointment, Mode, Status
from portal.interfaces import AppointmentContext
from portal.services.client import changes as actions
from portal.services.client import help_offers
from portal.services.client import notes as client_notes
from portal.web import deps, filters
from portal.web.link_problem import handle_link_problems

bp = Blueprint("client", __name__, url_prefix="/a")
filters.register(bp)
handle_link_problems(bp)

STATUS_TEXT = {  # what the client reads: no blame in any of it
    Status.SCHEDULED: "Not confirmed yet",
    Status.CONFIRMED: "Confirmed",
    Status.CANCELLED: "Cancelled",
    Status.LATE_CANCELLED: "Cancelled",
    Status.ATTENDED: "Done",
    Status.NO_SHOW: "Missed",
}


def load(token: str) -> AppointmentContext:
    """The session a token names, in one read; link problems become friendly pages."""
    return actions.open_link(deps(), token)


def now() -> datetime:
    return deps().clock.now()


def token_for(appointment: Appointment) -> str:
    return deps().links.token(appointment)


def to_page(appointment: Appointment, endpoint: str = "client.show", **values: Any) -> ResponseReturnValue:
    """After a change: the page behind a fresh link (a new expiry for a moved session)."""
    return redirect(url_for(endpoint, token=token_for(appointment), **values))


def session_view(ctx: AppointmentContext) -> dict:
    """The session as the client sees it: their zone, their therapist's display name."""
    a, zone_name = ctx.appointment, ctx.client.timezone
    return dict(
        day=wording.day(a.start, zone_name), time=wording.clock_range(a.start, a.end, zone_name),
        zone=wording.zone_label(zone_name, a.start), zone_place=wording.zone_label(zone_name),
        therapist=ctx.therapist.name, video=a.mode is Mode.TELE,
        location=a.location, join_url=a.join_url,
        status=a.status, status_text=STATUS_TEXT[a.status],
        calendar=calendar_links(a, ctx.therapist, ctx.settings, deps().links.appointment_url(a)),
    )


def page(template: str, ctx: AppointmentContext, status: int = 200, **values: Any) -> ResponseReturnValue:
    values.setdefault("session", session_view(ctx))
    values.setdefault("late_open", client_notes.can_say_late(ctx.appointment, now()))
    return render_template(template, ctx=ctx, token=values.pop("token", None) or token_for(ctx.appointment),
                           practice_name=ctx.settings.display_name,
                           contact_phone=ctx.settings.contact_phone,
                           contact_tel=wording.tel(ctx.settings.contact_phone),
                           crisis_choice=help_offers.crisis_choice, **values), status


def closed(ctx: AppointmentContext, status: int = 410, notice: str = "") -> ResponseReturnValue:
    """A cancelled, missed or past session: a kind page and a way forward."""
    return page("client/closed.html", ctx, status, notice=notice,
                can_rebook=ctx.appointment.status in actions.REBOOKABLE)


# Importing the views attaches their routes to ``bp``.
from portal.web.client import changes, notes, pages, waitlist  # noqa: E402,F401
