"""Open a signed client link: check the token, then read everything in one BatchGetItem.

Shared by the appointment page (/a/) and the check-in page (/c/); each passes its own salt,
so a token made for one opens nothing on the other.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from portal.interfaces import AppointmentContext, Deps
from portal.links import APPOINTMENT_SALT

log = logging.getLogger(__name__)


class LinkNotFound(Exception):
    """The token is genuine but names nothing we hold for that client."""


class LinkGone(LinkNotFound):
    """The client's data was erased on request: every link of theirs answers 410."""


def open_context(deps: Deps, token: str, salt: str = APPOINTMENT_SALT,
                 not_found: type[LinkNotFound] = LinkNotFound) -> AppointmentContext:
    """Raises LinkInvalid, LinkExpired, or ``not_found``."""
    claims = deps.links.read(token, deps.clock.now(), salt=salt)
    ctx = deps.store.load_context(claims.appointment_id, claims.client_id, claims.therapist_id)
    if ctx is None:
        raise not_found()
    if ctx.client.erased:
        raise LinkGone()
    return ctx


@dataclass(frozen=True)
class PracticeContact:
    """Who a client can call for a fresh link (nothing about any session)."""

    name: str | None = None
    phone: str = ""


def practice_contact(deps: Deps) -> PracticeContact:
    """The practice's name and phone for a link that can't be opened (one GetItem).

    The page must still answer if the table does not, so a failed read gives an empty contact."""
    try:
        settings = deps.store.get_settings()
    except Exception:
        log.exception("could not read the practice settings for a link problem page")
        return PracticeContact()
    return PracticeContact(settings.display_name, settings.contact_phone)
