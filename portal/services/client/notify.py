"""After a client changes a session: tell them on their channels, and tell the therapist of a cancel.

Only the minimum goes out: the client's first name, the practice's display name, the day
and time in the client's zone, and links (always fresh, built from BASE_URL). Email is
text + HTML with the calendar file attached; SMS fits 160 GSM-7 characters.
A failed send is logged and reported, never raised: the change it follows is already
committed, and the client must still see that it worked.
"""
from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from typing import Any, Callable, Sequence

from portal.calendar import CONTENT_TYPE, filename_for, ics_bytes
from portal.domain.model import Appointment, Channel, Client, PracticeSettings, Therapist
from portal.domain.notices import confirmation_channels, night_notice
from portal.domain.wording import message_when
from portal.interfaces import Attachment, Deps, Email
from portal.services.messaging.compose import client_values, fit_sms, render

log = logging.getLogger(__name__)

KINDS = ("confirmed", "rescheduled", "mode", "cancelled", "rebooked", "therapist")
SUBJECTS = {
    "confirmed": "Confirmed: your session on {when}",
    "rescheduled": "New time: your session on {when}",
    "mode": "Your session on {when} is now {mode}",
    "cancelled": "Cancelled: your session on {when}",
    "rebooked": "Booked: your session on {when}",
    "therapist": "Same time, with a colleague: your session on {when}",
}
SENT, FAILED, DEFERRED = "sent", "failed", "deferred"  # deferred: waits out the quiet hours


def _values(kind: str, appointment: Appointment, client: Client, settings: PracticeSettings, link: str,
            rebook_link: str = "", series: Sequence[Appointment] = (), mode_changed: bool | None = None) -> dict:
    """``series``: every session of a series booked at once (one message lists them all).
    ``mode_changed``: known by a change notice (since the client was last told); else the last move's."""
    dates = [message_when(a.start, client.timezone) for a in series] if len(series) > 1 else []
    if mode_changed is None:
        mode_changed = _mode_changed(kind, appointment)
    return client_values(appointment, client, settings, link, kind=kind,
                         rebook_link=rebook_link or link, mode_changed=mode_changed, series=dates)


def _mode_changed(kind: str, appointment: Appointment) -> bool:
    """A move that changed the mode: its SMS keeps the mode however short it must get."""
    moved = appointment.moved_from
    return kind == "rescheduled" and moved is not None and moved.version == appointment.version \
        and moved.mode != appointment.mode.value


def sms_text(values: dict) -> str:
    """One SMS of at most 160 GSM-7 characters, by the same fitting as every other text."""
    return fit_sms("change_sms.txt", **values)


def change_email(kind: str, appointment: Appointment, client: Client, therapist: Therapist,
                 settings: PracticeSettings, link: str, now: datetime | None = None,
                 rebook_link: str = "", series: Sequence[Appointment] = ()) -> Email:
    values = _values(kind, appointment, client, settings, link, rebook_link, series)
    ics = ics_bytes(appointment, client, therapist, settings, link, now=now)
    return Email(
        to=client.email,
        subject=_subject(kind, values),
        text=render(f"change_{kind}.txt", **values),
        html=render(f"change_{kind}.html", **values),
        attachments=(Attachment(filename_for(appointment, client.timezone), CONTENT_TYPE, ics),),
    )


def _subject(kind: str, values: dict[str, Any]) -> str:
    """A series booked at once is told in one email, so its subject counts the sessions."""
    if values.get("series"):
        return f"Booked: your {len(values['series'])} sessions, starting {values['when']}"
    return SUBJECTS[kind].format(**values)


def _attempt(channel: str, send: Callable[[], object], done: str = SENT) -> str:
    try:
        send()
        return done
    except Exception:  # Throttled, a provider ClientError, a network error: the change stands
        log.exception("could not send (or hold until morning) a change confirmation by %s", channel)
        return FAILED


def send_change(deps: Deps, kind: str, appointment: Appointment, client: Client, therapist: Therapist,
                settings: PracticeSettings, series: Sequence[Appointment] = (),
                asked_by_client: bool = False, mode_changed: bool | None = None) -> dict[str, str]:
    """Confirm a change to the client on each channel they chose: {channel: "sent"|"failed"}.
    ``series``: the sessions of a series booked at once, listed in one message.
    ``asked_by_client``: the client just made this change (they are awake: tell them now);
    otherwise a text or call that would land in their quiet hours waits until they end.
    ``mode_changed``: the text keeps the mode however short it must get (see ``_values``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown change {kind!r}")
    outcome = {}
    for channel in confirmation_channels(client):
        night = None if asked_by_client else night_notice(deps.clock.now(), kind, channel, appointment,
                                                          client, settings)
        if night is not None:
            outcome[channel.value] = _attempt(channel.value, partial(deps.store.defer_notice, night),
                                              done=DEFERRED)
            continue
        outcome[channel.value] = _attempt(channel.value, partial(
            send_on, deps, kind, channel, appointment, client, therapist, settings, series=series,
            mode_changed=mode_changed))
    return outcome


def send_on(deps: Deps, kind: str, channel: Channel, appointment: Appointment, client: Client, therapist: Therapist,
            settings: PracticeSettings,
            series: Sequence[Appointment] = (), mode_changed: bool | None = None) -> str:
    """One confirmation on one channel; returns the provider's id, raises what the provider
    raised (a change notice's run retries or records it; send_change logs it)."""
    if kind not in KINDS:
        raise ValueError(f"unknown change {kind!r}")
    link = deps.links.appointment_url(appointment)
    rebook_link = deps.links.appointment_url(appointment, "/rebook") if kind == "cancelled" else ""
    values = _values(kind, appointment, client, settings, link, rebook_link, series, mode_changed)
    if channel is Channel.EMAIL:
        return deps.notifier.send_email(change_email(kind, appointment, client, therapist, settings,
                                                     link, deps.clock.now(), rebook_link, series))
    if channel is Channel.SMS:
        return deps.notifier.send_sms(client.phone, sms_text(values))
    return deps.notifier.send_voice(client.phone, " ".join(render("change_voice.txt", **values).split()))


def notify_therapist_of_cancel(deps: Deps, appointment: Appointment, client: Client, therapist: Therapist,
                               settings: PracticeSettings) -> str:
    """A short email to the therapist: who (first name, last initial) cancelled, and a link to
    the signed-in session page. Minimum necessary: no time, barrier, note or late flag here."""
    values = dict(client_name=client.short_name, practice=settings.display_name,
                  link=f"{getattr(deps.links, 'base_url', '')}/t/appointments/{appointment.id}")
    email = Email(to=therapist.email, subject=f"{client.short_name} cancelled a session",
                  text=render("therapist_barrier_notice.txt", **values))
    return _attempt("therapist email", lambda: deps.notifier.send_email(email))
