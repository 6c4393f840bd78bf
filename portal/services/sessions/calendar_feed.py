"""A therapist's private calendar feed: a signed, revocable URL a calendar app subscribes to.

The token signs the therapist's id and a feed key stored for them; rotating the key kills
every URL made before. Reading the feed is one Query of the calendar index, which returns
the stored key (to check the token against) and the sessions ahead together. The client's
short name rides on each session's item (``Appointment.client_label``, written at booking).
"""
from __future__ import annotations

import hmac
from datetime import timedelta

from portal.calendar import feed_ics
from portal.domain.ids import new_id
from portal.domain.model import Therapist
from portal.interfaces import Deps
from portal.links import LinkInvalid

FEED_KEY_LENGTH = 24
SHOWN_FROM = timedelta(hours=12)  # today's earlier sessions stay in the calendar for the day


def feed_url(deps: Deps, therapist: Therapist) -> str:
    """The current URL, or "" when the therapist has none yet (a GET never makes one)."""
    key = deps.store.feed_key(therapist.id)
    return deps.links.feed_url(therapist.id, key) if key else ""


def rotate(deps: Deps, therapist: Therapist) -> str:
    """A new key (the first, or one that revokes the old URL); returns the new URL."""
    key = new_id(FEED_KEY_LENGTH)
    deps.store.set_feed_key(therapist.id, key)
    return deps.links.feed_url(therapist.id, key)


def feed(deps: Deps, token: str) -> bytes | None:
    """The calendar for a genuine, current token; None for anything else (the page 404s)."""
    try:
        therapist_id, key = deps.links.read_feed(token)
    except LinkInvalid:
        return None
    now = deps.clock.now()
    stored, sessions = deps.store.feed_sessions(therapist_id, now - SHOWN_FROM)
    if not stored or not hmac.compare_digest(stored, key):
        return None  # rotated: the old URL is dead
    upcoming = [a for a in sessions if a.status.is_open]
    return feed_ics(upcoming, "Attune sessions", now)
