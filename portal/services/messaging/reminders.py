"""The reminders lane: reminders and nudges of a session, sent through the shared engine
(``portal.services.messaging.due``). One reminder text per client-local day; after a pause
only the latest reminder of a session on a channel goes out.
"""
from __future__ import annotations

from typing import Any

from portal.domain import delivery
from portal.domain.messages import NUDGE, PHONE_CHANNELS, PendingMessage, in_quiet_hours
from portal.domain.model import Channel, Status
from portal.domain.quiet_hours import local_day
from portal.domain.retention import marker_expiry
from portal.interfaces import Deps
from portal.services.messaging import compose
from portal.services.messaging.due import Outgoing, Sender, Skip, send_due


def send_due_reminders(deps: Deps, send: Sender | None = None, **options: Any) -> dict:
    """The reminders function: reminders and nudges that are due."""
    options.setdefault("overtaken", overtaken_reminders)
    return send_due(deps, "", send or send_reminder, **options)


def overtaken_reminders(due: list[PendingMessage]) -> set:
    """After a pause, several reminders of one session may be due at once on a channel:
    only the latest goes out ("in 3 days" and "tomorrow" together would only confuse)."""
    latest: dict = {}
    for message in due:
        group = (message.appointment_id, message.channel)
        if group not in latest or message.due_at > latest[group].due_at:
            latest[group] = message
    return {(m.appointment_id, m.key) for m in due
            if latest[(m.appointment_id, m.channel)] is not m}


def check_session(out: Outgoing) -> None:
    """A reminder is for an open session, at the time it was planned for, not yet started."""
    appointment, message = out.appointment, out.message
    if appointment is None or not appointment.status.is_open:
        raise Skip("the session was cancelled or closed", delivery.SESSION_CHANGED)
    if message.for_start and appointment.start != message.for_start:
        raise Skip("the session moved", delivery.SESSION_CHANGED)
    if appointment.start <= out.now:
        raise Skip("the session has started: a reminder is never sent late")


def check_client(out: Outgoing) -> None:
    client, channel = out.client, out.message.channel
    if client is None or not client.wants(channel):
        opted_out = client is not None and channel is Channel.SMS and client.sms_opted_out
        raise Skip(f"the client no longer takes {channel.value} (opted out or changed channels)",
                   delivery.OPTED_OUT if opted_out else delivery.NO_CHANNEL)
    if channel in PHONE_CHANNELS and in_quiet_hours(out.now, client, out.settings):
        raise Skip("quiet hours: no allowed moment left before the session", delivery.QUIET_HOURS)


def claim_text_day(deps: Deps, out: Outgoing) -> bool:
    """At most one reminder SMS per client-local day, across all their sessions."""
    assert out.client is not None  # check_client ran first
    day = local_day(out.now, out.client.timezone)
    expires = marker_expiry(out.now, out.settings.marker_days)
    return deps.store.claim_daily_text(out.client.id, day, out.owner, expires)


def send_reminder(deps: Deps, out: Outgoing) -> str | None:
    check_session(out)
    assert out.appointment is not None  # check_session skips a message without its session
    nudge = out.message.kind == NUDGE
    if nudge and out.appointment.status is not Status.SCHEDULED:
        raise Skip("confirmed already: no nudge needed")
    check_client(out)
    assert out.client is not None  # check_client skips a message without its client
    if out.message.channel is Channel.SMS and not claim_text_day(deps, out):
        raise Skip("the client already had a reminder text today", delivery.ONE_TEXT_A_DAY)
    provider_id = _send_reminder_text(deps, out, nudge)
    if out.message.channel is Channel.SMS:
        day = local_day(out.now, out.client.timezone)
        deps.store.finish_daily_text(out.client.id, day, out.owner,
                                     marker_expiry(out.now, out.settings.marker_days))
    return provider_id


def _send_reminder_text(deps: Deps, out: Outgoing, nudge: bool) -> str | None:
    appointment, client, settings = out.appointment, out.client, out.settings
    assert appointment is not None and client is not None  # checked by send_reminder
    link = deps.links.appointment_url(appointment)
    values = compose.client_values(
        appointment, client, settings, link, nudge=nudge,
        soon=compose.how_soon(appointment, out.now, client.timezone),
        reschedule_link=deps.links.appointment_url(appointment, "/reschedule"))
    channel = out.message.channel
    if channel is Channel.SMS:
        return deps.notifier.send_sms(client.phone, compose.reminder_sms(values, nudge))
    if channel is Channel.VOICE:
        return deps.notifier.send_voice(client.phone, compose.reminder_voice(values))
    attachment = None
    if not nudge and out.therapist is not None:
        attachment = compose.calendar_attachment(appointment, client, out.therapist, settings,
                                                 link, out.now)
    return deps.notifier.send_email(compose.reminder_email(values, client.email, attachment, nudge))
