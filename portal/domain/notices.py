"""Change notices: a client's own changes are confirmed once, after a short grace period.

A change made from a client's link (confirm, move, undo, switch mode, book again) does not
send its confirmation at once. It writes one pending "change" notice per channel, in the
same transaction as the change, due ``change_grace_minutes`` later (texts and calls after
the quiet hours). The next change within the grace replaces it. When the notice is due,
the session as it is then is compared with the state the client was last told of (kept on
the notice): nothing changed (video and straight back) -> nothing is sent; otherwise ONE
confirmation of the final state (two moves -> one message with the final time).

Changes that tell at once (a cancel, the therapist's changes, SMS replies) never write a
notice: they bump the session's version, and a notice whose ``rev`` is not the session's
version is superseded (the client was told already) and is skipped when due.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from portal.domain.messages import CHANGE_NOTICE, CLAIMED, PENDING, PHONE_CHANNELS, PendingMessage
from portal.domain.model import Appointment, Channel, Client, PracticeSettings, Status
from portal.domain.quiet_hours import first_allowed_from
from portal.domain.timemath import iso_utc

NOTICE_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.VOICE)
# What a notice tells. With nothing known of what the client was told (a session booked from
# the link, or a notice replaced while it was being sent), it says the kind it was planned with.
CONFIRMED, RESCHEDULED, MODE, CANCELLED = "confirmed", "rescheduled", "mode", "cancelled"


def notice_key(channel: Channel) -> str:
    """One notice per session and channel, under a key that a later change replaces."""
    return PendingMessage("", CHANGE_NOTICE, channel, datetime.min).key


def waits(settings: PracticeSettings) -> bool:
    """Whether a client's change is told after the grace period (0 minutes: at once)."""
    return settings.change_grace_minutes > 0


def confirmation_channels(client: Client) -> tuple[Channel, ...]:
    """Email and text as the client chose; a voice-only client still hears it by a call."""
    chosen = tuple(c for c in (Channel.EMAIL, Channel.SMS) if client.wants(c))
    if not chosen and client.wants(Channel.VOICE):
        return (Channel.VOICE,)
    return chosen


def state_of(appointment: Appointment) -> dict:
    """What a confirmation tells: the time, the mode and the status."""
    return {"start": iso_utc(appointment.start), "mode": appointment.mode.value,
            "status": appointment.status.value}


def plan_notices(existing: list[PendingMessage], before: Appointment | None, after: Appointment,
                 client: Client, settings: PracticeSettings, now: datetime,
                 kind: str, mode_news: bool = False) -> list[PendingMessage]:
    """The pending notices that replace ``existing`` after the change ``before`` -> ``after``.
    ``mode_news``: a session booked again in another mode than the one it replaces."""
    by_channel = {m.channel: m for m in existing}
    due = now + timedelta(minutes=settings.change_grace_minutes)
    planned = []
    for channel in confirmation_channels(client):
        told, kinds = _last_told(by_channel.get(channel), before, kind)
        when = due
        if channel in PHONE_CHANNELS:
            when = first_allowed_from(due, client.timezone, settings.quiet_start, settings.quiet_end)
        planned.append(PendingMessage(
            appointment_id=after.id, kind=CHANGE_NOTICE, channel=channel, due_at=when,
            detail={"client": client.id, "rev": after.version, "told": told, "kinds": kinds,
                    **({"mode_news": True} if mode_news else {})}))
    return planned


def night_notice(now: datetime, kind: str, channel: Channel, after: Appointment, client: Client,
                 settings: PracticeSettings) -> PendingMessage | None:
    """A change told at once (the therapist's) whose text or call would land in the client's
    quiet hours waits as a notice until they end; a later change supersedes it (its ``rev``)."""
    if channel not in PHONE_CHANNELS:
        return None
    allowed = first_allowed_from(now, client.timezone, settings.quiet_start, settings.quiet_end)
    if allowed <= now:
        return None
    return PendingMessage(appointment_id=after.id, kind=CHANGE_NOTICE, channel=channel, due_at=allowed,
                          detail={"client": client.id, "rev": after.version, "told": None, "kinds": [kind]})


def _last_told(notice: PendingMessage | None, before: Appointment | None, kind: str):
    """(the state the client was last told of, or None if unknown; the kinds of change made
    since, the first being what to say when the state told is unknown)."""
    if before is None:  # a new session: nothing told yet
        return None, [kind]
    if notice is None or notice.detail.get("rev") != before.version:
        # No notice, or one superseded by a change told at once: the client knows ``before``.
        return state_of(before), [kind]
    if notice.status == CLAIMED:  # being sent right now: what it will say is unknown
        return None, [kind]
    if notice.status == PENDING:  # not told yet: this change joins it
        return notice.detail.get("told"), list(notice.detail.get("kinds") or ()) + [kind]
    return notice.detail.get("told"), [kind]


def what_to_tell(notice: PendingMessage, appointment: Appointment) -> str | None:
    """The confirmation a due notice sends for the session as it is now, or None (nothing to
    tell: it is back as the client was last told, or a later change was told at once)."""
    if appointment.version != notice.detail.get("rev"):
        return None
    told, kinds = notice.detail.get("told"), notice.detail.get("kinds") or [RESCHEDULED]
    if told is None:
        return kinds[0]
    now = state_of(appointment)
    if now == told:
        return None
    if not appointment.status.is_open:
        return CANCELLED if Status(told["status"]).is_open else None
    if now["start"] != told["start"]:
        return RESCHEDULED
    if now["mode"] != told["mode"]:
        return MODE
    # Only the status differs: a confirm is news; a move and its undo (which left the session
    # confirmed, as the client chose the time) is not.
    return CONFIRMED if appointment.status is Status.CONFIRMED and CONFIRMED in kinds else None


def mode_changed(notice: PendingMessage, appointment: Appointment) -> bool:
    """Whether the mode differs from what the client was last told (the SMS keeps it then)."""
    told = notice.detail.get("told")
    if not told:
        return bool(notice.detail.get("mode_news"))
    return told["mode"] != appointment.mode.value


def told(notice: PendingMessage, appointment: Appointment) -> PendingMessage:
    """The notice once sent: it now holds the state just told."""
    return replace(notice, detail={**notice.detail, "told": state_of(appointment)})
