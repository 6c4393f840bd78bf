""""Send me a fresh link" from an expired link's page: asked on the page, sent by a scheduled run.

The request reads nothing about any session, so its answer is the same whether or not one
exists: it counts the request (per IP and per token, at most IP_LIMIT and TOKEN_LIMIT an
hour, atomic DynamoDB counters) and, for a genuine token, puts one pending message in the
"fresh" lane of the due index: three DynamoDB calls at most. The client-notices run then
sends the client's next session's link to the contact details on file (claim -> send -> mark).
"""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from typing import Any

from portal.domain import wording
from portal.domain.messages import FRESH_LINK, PHONE_CHANNELS, PendingMessage, followup_channel, in_quiet_hours
from portal.domain.model import Channel
from portal.domain.quiet_hours import first_allowed_from
from portal.interfaces import Deps
from portal.links import APPOINTMENT_SALT, LinkExpired, LinkInvalid
from portal.services.messaging import compose
from portal.services.messaging.due import Defer, Outgoing, Skip, send_due

log = logging.getLogger(__name__)

TOKEN_LIMIT, IP_LIMIT = 3, 20  # an hour
WINDOW = 3600
IP_MAX = 64
LOOK_AHEAD = timedelta(days=60)


class TooManyRequests(Exception):
    """Asked too often this hour: the page says to wait, or call."""


def _count(deps: Deps, scope: str, subject: str, now: datetime) -> int:
    index = int(now.timestamp()) // WINDOW
    return deps.store.count_attempt(scope, subject, index, 1, (index + 2) * WINDOW)


def request_fresh_link(deps: Deps, token: str, client_ip: str, salt: str = APPOINTMENT_SALT) -> None:
    """Count the request, then plan the message for a genuine token. Raises TooManyRequests."""
    now = deps.clock.now()
    if _count(deps, "fresh-ip", (client_ip or "unknown")[:IP_MAX], now) > IP_LIMIT:
        raise TooManyRequests()
    digest = hashlib.sha256((token or "").encode()).hexdigest()[:32]  # any length of token, one key
    if _count(deps, "fresh-link", digest, now) > TOKEN_LIMIT:
        raise TooManyRequests()
    try:
        claims = deps.links.read(token or "", now, salt=salt)
    except LinkExpired as expired:
        claims = expired.claims
    except LinkInvalid:
        return  # nothing we can trust in it: the same answer, nothing sent
    # for_start holds the moment asked, so each request (within the limits) is its own message.
    deps.store.put_message(PendingMessage(
        appointment_id=claims.appointment_id, kind=FRESH_LINK, channel=Channel.EMAIL, due_at=now,
        for_start=now.replace(second=0, microsecond=0), detail={"client": claims.client_id}))


def send_fresh_links(deps: Deps, **options: Any) -> dict:
    return send_due(deps, FRESH_LINK, send_fresh_link, **options)


def send_fresh_link(deps: Deps, out: Outgoing) -> str | None:
    """To the client's first link channel: their next session's link, or the practice's phone."""
    client, now = out.client, out.now
    if out.appointment is None or client is None or out.appointment.client_id != client.id:
        raise Skip("no such session or client")
    channel = followup_channel(client)
    if channel is None:
        raise Skip("the client takes no channel that carries a link")
    if channel in PHONE_CHANNELS and in_quiet_hours(now, client, out.settings):
        s = out.settings
        raise Defer(first_allowed_from(now, client.timezone, s.quiet_start, s.quiet_end))
    upcoming = deps.store.client_appointments(client.id, now, now + LOOK_AHEAD)
    following = next((a for a in upcoming if a.status.is_open and a.start > now), None)
    values = dict(first_name=client.first_name, practice=out.settings.display_name,
                  contact_phone=out.settings.contact_phone,
                  when=wording.message_when(following.start, client.timezone) if following else "",
                  link=deps.links.appointment_url(following) if following else "")
    if channel is Channel.SMS:
        return deps.notifier.send_sms(client.phone, compose.fit_sms("sms_fresh_link.txt", **values))
    return deps.notifier.send_email(compose.fresh_link_email(values, client.email))
