"""Check-ins between sessions: the message, and the one-tap page's answers.

Each hourly run looks at every therapist's calendar around now (two Queries per
therapist: sessions and clients), finds each client's consecutive sessions whose
check-in moment (by default midway, at 10:00 in the client's zone, never within 24 h
of either session) fell since the last run, plans that message once (a conditional put
with a deterministic key) into the check-in lane of the due index, and then sends the
lane's due messages through the same claim/re-read/send/mark run as reminders.

Answers are stored with ``store.record_checkin`` (score 1-5, a Barrier value or none, a
note, the session): the therapist's dashboard reads them back with ``latest_checkins``.
A low score (<= 2) or a barrier puts an item in the therapist's inbox (kind "checkin") and
emails them; a note alone goes to the inbox.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Iterable

from portal.domain.checkins import CheckIn
from portal.domain.delivery import OPTED_OUT
from portal.domain.errors import ValidationError
from portal.domain.ids import new_id
from portal.domain.messages import (
    CHECKIN,
    PHONE_CHANNELS,
    CheckinPolicy,
    checkin_moment,
    checkin_pairs,
    in_quiet_hours,
    plan_checkin,
)
from portal.domain.model import Appointment, Barrier, Channel, Client, InboxItem
from portal.domain.quiet_hours import first_allowed_from
from portal.domain.retention import marker_expiry
from portal.interfaces import AppointmentContext, Deps
from portal.links import CHECKIN_SALT
from portal.services.client.link_context import LinkNotFound, open_context
from portal.services.messaging import compose
from portal.services.messaging.due import Defer, Outgoing, Skip, send_due

log = logging.getLogger(__name__)

PLAN_LANE = "checkin-plan"  # the planner's cursor, apart from the check-in lane's sender
CATCH_UP = timedelta(hours=12)
STALE_AFTER = timedelta(days=1)
LOW_SCORE = 2
NOTE_MAX = 500
SCORES = ((1, "Struggling"), (2, "Not great"), (3, "Okay"), (4, "Good"), (5, "Really good"))


# --- the scheduled run -------------------------------------------------------------------------
def send_checkins(deps: Deps, policy: CheckinPolicy = CheckinPolicy(), **options: Any) -> dict:
    planned = plan_due_checkins(deps, policy)
    summary = send_due(deps, CHECKIN, send_checkin, **options)
    return {"planned": planned, **summary}


def plan_due_checkins(deps: Deps, policy: CheckinPolicy = CheckinPolicy()) -> int:
    """Put each check-in whose moment fell since the last run into the due index, once."""
    store, now = deps.store, deps.clock.now()
    cursor = store.cursor(PLAN_LANE)
    since = now - CATCH_UP
    if cursor:
        since = max(since, cursor - timedelta(hours=1))
    settings, planned = store.get_settings(), 0
    for therapist in store.list_therapists():
        sessions = store.therapist_appointments(therapist.id, *policy.window(since, now))
        if not sessions:
            continue
        clients = {c.id: c for c in store.list_clients(therapist.id)}
        for client_id, own in _by_client(sessions).items():
            client = clients.get(client_id)
            if client is None:
                continue
            for previous, following in checkin_pairs(own):
                moment = checkin_moment(previous, following, client.timezone, policy)
                if moment is None or not since < moment <= now:
                    continue
                message = plan_checkin(previous, following, client, settings, policy)
                if message is not None and store.put_message(message):
                    planned += 1
    store.set_cursor(PLAN_LANE, now)
    return planned


def _by_client(sessions: Iterable[Appointment]) -> dict[str, list[Appointment]]:
    grouped: dict = {}
    for session in sessions:
        grouped.setdefault(session.client_id, []).append(session)
    return grouped


def send_checkin(deps: Deps, out: Outgoing) -> str | None:
    following, client, message, now = out.appointment, out.client, out.message, out.now
    clear = CheckinPolicy().clear_of_sessions
    if following is None or not following.status.is_open:
        raise Skip("the next session was cancelled")
    if message.for_start and following.start != message.for_start:
        raise Skip("the next session moved: a new check-in is planned for the new gap")
    if following.start - now < clear or now - message.due_at > STALE_AFTER:
        raise Skip("too close to the next session")
    if client is None or not client.checkins_enabled or not client.wants(message.channel):
        raise Skip("the client turned check-ins (or this channel) off", OPTED_OUT)
    if message.channel in PHONE_CHANNELS and in_quiet_hours(now, client, out.settings):
        s = out.settings
        raise Defer(first_allowed_from(now, client.timezone, s.quiet_start, s.quiet_end))
    after = message.detail.get("after", "-")  # the session before the gap
    if not deps.store.claim_checkin_message(message.appointment_id, after, out.owner):
        raise Skip("already checked in for this gap")
    provider_id = _send(deps, out)
    deps.store.finish_checkin_message(message.appointment_id, after, out.owner,
                                      marker_expiry(now, out.settings.marker_days))
    return provider_id


def _send(deps: Deps, out: Outgoing) -> str | None:
    following, client = out.appointment, out.client
    assert following is not None and client is not None  # checked by send_checkin
    values = compose.client_values(following, client, out.settings,
                                   deps.links.appointment_url(following),
                                   checkin_link=deps.links.checkin_url(following), scores=SCORES)
    if out.message.channel is Channel.SMS:
        return deps.notifier.send_sms(client.phone, compose.checkin_sms(values))
    return deps.notifier.send_email(compose.checkin_email(values, client.email))


# --- the one-tap page ---------------------------------------------------------------------------
class CheckinLinkNotFound(LinkNotFound):
    """A genuine check-in token naming nothing we hold for that client."""


def open_checkin(deps: Deps, token: str) -> AppointmentContext:
    """One BatchGetItem. Raises LinkInvalid, LinkExpired or CheckinLinkNotFound."""
    return open_context(deps, token, CHECKIN_SALT, CheckinLinkNotFound)


def answer_already_sent(deps: Deps, ctx: AppointmentContext) -> CheckIn | None:
    """The answer already sent from this check-in link, if any (one Query)."""
    return deps.store.checkin_answer_for(ctx.client.id, ctx.appointment.id)


@dataclass(frozen=True)
class Answer:
    score: int
    barrier: Barrier | None
    note: str

    @property
    def concerning(self) -> bool:
        return self.score <= LOW_SCORE or self.barrier is not None


def parse_answer(score: Any, barrier: str | None, note: str | None) -> Answer:
    try:
        value = int(score)
    except (TypeError, ValueError):
        raise ValidationError("Please pick how you're doing, from 1 to 5.") from None
    if not 1 <= value <= 5:
        raise ValidationError("Please pick how you're doing, from 1 to 5.")
    try:
        chosen = Barrier(barrier) if barrier else None
    except ValueError:
        raise ValidationError("Please pick one of the choices shown.") from None
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(f"Please keep the note under {NOTE_MAX} characters.")
    return Answer(value, chosen, note)


def record_answer(deps: Deps, ctx: AppointmentContext, answer: Answer) -> bool:
    """Store the answer; tell the therapist when it matters. False for a repeat in the same second."""
    now, client = deps.clock.now(), ctx.client
    stored = deps.store.record_checkin(
        client.id, CheckIn(now, answer.score, answer.barrier.value if answer.barrier else None,
                           answer.note),
        ctx.appointment.id, ctx.therapist.id)
    if not stored:
        return False
    if answer.concerning or answer.note:
        deps.store.add_inbox(InboxItem(
            therapist_id=ctx.therapist.id, at=now, kind="checkin", client_id=client.id,
            appointment_id=ctx.appointment.id, barrier=answer.barrier,
            text=f"Check-in: {answer.score} of 5." + (f" {answer.note}" if answer.note else ""),
            id=new_id()))
    if answer.concerning:
        _tell_therapist(deps, ctx, answer)
    return True


def _tell_therapist(deps: Deps, ctx: AppointmentContext, answer: Answer) -> None:
    # Minimum necessary: that there is an answer, from whom; the score, barrier and note stay
    # on the signed-in client page.
    email = compose.checkin_therapist_email(
        ctx.therapist.email, client_name=ctx.client.short_name, practice=ctx.settings.display_name,
        link=f"{getattr(deps.links, 'base_url', '')}/t/clients/{ctx.client.id}")
    try:
        deps.notifier.send_email(email)
    except Exception:  # the answer is stored and in the inbox; the email is a courtesy
        log.exception("could not email the therapist about a check-in")


def last_answer(deps: Deps, ctx: AppointmentContext) -> CheckIn | None:
    """The client's newest answer (one Query), for the thank-you page after a post: the
    answer is read back here rather than carried in the URL."""
    return deps.store.latest_checkins([ctx.client.id]).get(ctx.client.id)


def set_checkins(deps: Deps, ctx: AppointmentContext, enabled: bool) -> Client:
    """The client turns check-in messages off (or back on) from the page."""
    if ctx.client.checkins_enabled != enabled:
        deps.store.set_client_flags(ctx.client.id, checkins_enabled=enabled)
    return replace(ctx.client, checkins_enabled=enabled)
