"""Open a signed client link: check the token, then read everything in one BatchGetItem.

Shared by the appointment page (/a/) and the check-in page (/c/); each passes its own salt,
so a token made for one opens nothing on the other.
"""
from __future__ import annotations

from portal.interfaces import AppointmentContext, Deps
from portal.links import APPOINTMENT_SALT


class LinkNotFound(Exception):
    """The token is genuine but names nothing we hold for that client."""


def open_context(deps: Deps, token: str, salt: str = APPOINTMENT_SALT,
                 not_found: type[LinkNotFound] = LinkNotFound) -> AppointmentContext:
    """Raises LinkInvalid, LinkExpired, or ``not_found``."""
    claims = deps.links.read(token, deps.clock.now(), salt=salt)
    ctx = deps.store.load_context(claims.appointment_id, claims.client_id, claims.therapist_id)
    if ctx is None:
        raise not_found()
    return ctx
