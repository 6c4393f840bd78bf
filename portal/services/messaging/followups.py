"""After a missed session: a warm "we missed you" with a way to pick a new time.

Marking a session no-show (or a client's late cancel) plans the follow-up in the same
transaction (``booking`` via ``plan_followup``), a couple of hours after the session, in
the follow-up lane of the due index; correcting the mark to "attended" removes it. This
function sends the due ones through the same claim/re-read/send/mark run as reminders.
Never more than one per missed session: a once-only record on the session is taken
before sending, and a re-marked session finds it done.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from portal.domain import wording
from portal.domain.delivery import NO_CHANNEL
from portal.domain.messages import FOLLOWUP, PHONE_CHANNELS, in_quiet_hours
from portal.domain.model import Appointment, Channel, Status
from portal.domain.quiet_hours import first_allowed_from
from portal.domain.retention import marker_expiry
from portal.interfaces import Deps
from portal.services.messaging import compose
from portal.services.messaging.due import Defer, Outgoing, Skip, send_due

MISSED = (Status.NO_SHOW, Status.LATE_CANCELLED)
STALE_AFTER = timedelta(days=1)  # a run down longer than this: a late "we missed you" feels odd
NEXT_SESSION_WITHIN = timedelta(days=60)


def send_due_followups(deps: Deps, **options: Any) -> dict:
    return send_due(deps, FOLLOWUP, send_followup, **options)


def send_followup(deps: Deps, out: Outgoing) -> str | None:
    appointment, client, message, now = out.appointment, out.client, out.message, out.now
    if appointment is None or appointment.status not in MISSED:
        raise Skip("the session is no longer marked missed")
    if now - message.due_at > STALE_AFTER:
        raise Skip("too long after its time")
    if client is None or not client.wants(message.channel):
        raise Skip("the client no longer takes this channel", NO_CHANNEL)
    if message.channel in PHONE_CHANNELS and in_quiet_hours(now, client, out.settings):
        settings = out.settings
        raise Defer(first_allowed_from(now, client.timezone, settings.quiet_start, settings.quiet_end))
    if not deps.store.claim_followup(appointment.id, out.owner):
        raise Skip("this session was already followed up")
    provider_id = _send(deps, out)
    deps.store.finish_followup(appointment.id, out.owner, marker_expiry(now, out.settings.marker_days))
    return provider_id


def next_session(deps: Deps, client_id: str, now: datetime) -> Appointment | None:
    """The client's next open session, if they already have one (one Query)."""
    upcoming = deps.store.client_appointments(client_id, now, now + NEXT_SESSION_WITHIN)
    return next((a for a in upcoming if a.status.is_open and a.start > now), None)


def _send(deps: Deps, out: Outgoing) -> str | None:
    appointment, client = out.appointment, out.client
    assert appointment is not None and client is not None  # checked by send_followup
    following = next_session(deps, client.id, out.now)
    values = compose.client_values(
        appointment, client, out.settings, deps.links.appointment_url(appointment),
        rebook_link=deps.links.appointment_url(appointment, "/rebook"),
        short_day=wording.short_day(appointment.start, client.timezone),
        next_when=wording.message_when(following.start, client.timezone) if following else "",
        next_link=deps.links.appointment_url(following) if following else "")
    if out.message.channel is Channel.SMS:
        return deps.notifier.send_sms(client.phone, compose.followup_sms(values))
    return deps.notifier.send_email(compose.followup_email(values, client.email))
