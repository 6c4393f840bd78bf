"""POST /link/fresh: "Send me a fresh link" from an expired link's page.

The answer is the same whether or not the link names a session (nothing is revealed);
only asking too often gets a different page (429), and that says nothing about a session.
"""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, Length

from portal.links import APPOINTMENT_SALT, CHECKIN_SALT
from portal.services.client.fresh_links import TooManyRequests, request_fresh_link
from portal.web import deps
from portal.web.link_problem import page

bp = Blueprint("fresh_link", __name__, url_prefix="/link")
TOKEN_MAX = 200
SALTS = {"a": APPOINTMENT_SALT, "c": CHECKIN_SALT}


class FreshLinkForm(FlaskForm):
    token = HiddenField(validators=[Length(max=TOKEN_MAX)])
    kind = HiddenField(validators=[AnyOf(tuple(SALTS))])


@bp.post("/fresh")
def fresh() -> ResponseReturnValue:
    form = FreshLinkForm()
    if form.validate():  # else the same kind answer: nothing to tell a stranger
        try:
            request_fresh_link(deps(), form.token.data, request.remote_addr or "", SALTS[form.kind.data])
        except TooManyRequests:
            return page(429, "fresh_busy")
    return redirect(url_for("fresh_link.sent"), 303)  # the request itself: at most 3 DynamoDB calls


@bp.get("/fresh/sent")
def sent() -> ResponseReturnValue:
    return page(200, "fresh_sent")
