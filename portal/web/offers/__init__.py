"""A waitlist offer at /o/<token>: GET shows the time, the mode and one button; the POST
(with its CSRF token) claims it. A time someone else took, a session that changed, or a
client who left the list each get a kind page with a way forward; a bad link gets the
shared link-problem page. Never an error page."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from portal.domain import wording
from portal.services.waitlist import claims as waitlist_claims
from portal.services.waitlist import entries
from portal.web import deps, filters
from portal.web.link_problem import handle_link_problems

bp = Blueprint("offers", __name__, url_prefix="/o")
filters.register(bp)
handle_link_problems(bp)

STATUS = {waitlist_claims.OPEN_STATE: 200, waitlist_claims.MINE: 200, waitlist_claims.TAKEN: 409,
          waitlist_claims.MOVED: 409, waitlist_claims.LEFT: 410}


def _page(token, offer, status=None):
    settings, zone = offer.settings, offer.client.timezone
    session_link = (deps().links.appointment_url(offer.session)
                    if offer.session is not None and offer.session.status.is_open else "")
    return render_template(
        "offers/offer.html", token=token, offer=offer, zone=zone,
        when=wording.when(offer.opening.start, zone), zone_label=wording.zone_label(zone, offer.opening.start),
        session_link=session_link, practice_name=settings.display_name,
        contact_phone=settings.contact_phone, contact_tel=wording.tel(settings.contact_phone),
    ), status or STATUS[offer.state]


@bp.get("/<token>")
def show(token: str) -> ResponseReturnValue:
    return _page(token, waitlist_claims.with_other_times(deps(), waitlist_claims.read_offer(deps(), token)))


@bp.post("/<token>")
def claim(token: str) -> ResponseReturnValue:
    if not FlaskForm().validate():
        offer = waitlist_claims.read_offer(deps(), token)
        return _page(token, offer, 400)
    return _page(token, waitlist_claims.claim(deps(), token))


@bp.post("/<token>/leave")
def leave(token: str) -> ResponseReturnValue:
    offer = waitlist_claims.read_offer(deps(), token, check_calendar=False)
    if FlaskForm().validate():
        entries.leave(deps(), offer.client.id)
        offer.entry, offer.state = None, (offer.state if offer.state == waitlist_claims.MINE
                                          else waitlist_claims.LEFT)
    return _page(token, offer, 200)
