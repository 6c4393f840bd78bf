"""The "change" lane: a client's changes, confirmed once after the grace period, coalesced.

Written with each change from a client's link (portal.services.sessions.booking ``tell_later``);
sent by the reminders run (every 5 minutes) on the same claim -> send -> mark machinery.
A due notice compares the session as it is now with what the client was last told
(portal.domain.notices): nothing to tell -> marked skipped, nothing sent; else one
confirmation of the final state, with the templates of portal.services.client.notify.
"""
from __future__ import annotations

from typing import Any

from portal.domain import delivery, notices
from portal.domain.messages import CHANGE_NOTICE, PHONE_CHANNELS, in_quiet_hours
from portal.domain.quiet_hours import first_allowed_from
from portal.interfaces import Deps
from portal.services.client import notify
from portal.services.messaging.due import Defer, Outgoing, Skip, send_due


def send_change_notices(deps: Deps, **options: Any) -> dict:
    return send_due(deps, CHANGE_NOTICE, send_change_notice, **options)


def send_change_notice(deps: Deps, out: Outgoing) -> str | None:
    appointment, client, message = out.appointment, out.client, out.message
    if appointment is None or client is None or appointment.client_id != client.id:
        raise Skip("no such session or client", delivery.SESSION_CHANGED)
    kind = notices.what_to_tell(message, appointment)
    if kind is None:
        raise Skip("nothing to tell: as the client was last told, or told at once since")
    if appointment.start <= out.now:
        raise Skip("the session has started: a confirmation now would only confuse")
    if not client.wants(message.channel):
        opted_out = message.channel.value == "sms" and client.sms_opted_out
        raise Skip(f"the client no longer takes {message.channel.value}",
                   delivery.OPTED_OUT if opted_out else delivery.NO_CHANNEL)
    if message.channel in PHONE_CHANNELS and in_quiet_hours(out.now, client, out.settings):
        s = out.settings
        raise Defer(first_allowed_from(out.now, client.timezone, s.quiet_start, s.quiet_end))
    assert out.therapist is not None  # a session's therapist is always stored
    provider_id = notify.send_on(deps, kind, message.channel, appointment, client, out.therapist,
                                 out.settings, mode_changed=notices.mode_changed(message, appointment))
    out.message = notices.told(message, appointment)  # marked sent holding what was just told
    return provider_id


__all__ = ["send_change_notices", "send_change_notice"]
