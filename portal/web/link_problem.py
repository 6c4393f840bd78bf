"""One friendly page for a client or check-in link that can't be opened: expired, cut short,
tampered with, or naming nothing we hold. It shows no session data, only a way forward."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from portal.domain import wording
from portal.links import LinkExpired, LinkInvalid
from portal.services.client.link_context import LinkGone, LinkNotFound, practice_contact
from portal.web import deps


def page(status: int, kind: str, **values: Any) -> ResponseReturnValue:
    contact = practice_contact(deps())
    return render_template("link_problem.html", kind=kind, practice_name=contact.name,
                           contact_phone=contact.phone, contact_tel=wording.tel(contact.phone),
                           **values), status


def expired_with_fresh_link(_error: Exception) -> ResponseReturnValue:
    """The expired page offers "Send me a fresh link" (a POST naming this token and its kind)."""
    return page(410, "expired", fresh_token=(request.view_args or {}).get("token", ""),
                fresh_kind="c" if request.blueprint == "checkin" else "a")


def expired(_error: Exception) -> ResponseReturnValue:
    return page(410, "expired")  # the session is not read: nothing about it is shown


def invalid(_error: Exception) -> ResponseReturnValue:
    return page(404, "invalid")


def handle_link_problems(bp: Blueprint) -> None:
    """Called once where a link blueprint is defined (LinkNotFound covers its subclasses)."""
    bp.register_error_handler(LinkExpired, expired_with_fresh_link)
    bp.register_error_handler(LinkInvalid, invalid)
    bp.register_error_handler(LinkNotFound, invalid)
    bp.register_error_handler(LinkGone, expired)  # erased on request: 410, nothing shown
