"""Freed times and the waves of offers that fill them.

A change that frees a session's time (a cancel, a late cancel, a move away) writes, in its
own transaction, the opening and the due message of its first wave, a grace period
later (so an undo or a quick rebook offers nothing). The waitlist function then sends the
waves through the due-message machinery (lane ``offer``: claim -> send -> mark): each
wave re-checks that the time is still free, reads the therapist's waitlist (one Query of
the sparse index), offers the time to the best-fitting entries not offered it yet, and
plans the next wave one claim window later while anyone is left to ask.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, NoReturn

from portal.domain.ids import new_id
from portal.domain.messages import OFFER, PHONE_CHANNELS, in_quiet_hours
from portal.domain.model import Appointment, Channel, Client, PracticeSettings, Status, Therapist
from portal.domain.quiet_hours import local_day
from portal.domain.slots import busy_intervals, closed_on, modes_offered_at
from portal.domain.waitlist import (
    HOURS,
    OPEN,
    Candidate,
    OfferRef,
    OfferSent,
    Opening,
    is_freed,
    policy_of,
    rank,
    still_in_hours,
    wave_message,
    worth_offering,
)
from portal.interfaces import AppointmentContext, Deps, StoreRecord
from portal.services.messaging import offer_text as compose
from portal.services.messaging.due import Outgoing, Skip, send_due

log = logging.getLogger(__name__)

CANCELLED = (Status.CANCELLED, Status.LATE_CANCELLED)
CAP_TTL = timedelta(days=2)
READ_AHEAD = 3  # clients read per wave place: some will be capped, quiet or unreachable


# --- planning, in the transaction that frees the time ---------------------------------------
def freed_records(deps: Deps, ctx: AppointmentContext, before: Appointment, after: Appointment,
                  now: datetime) -> list[StoreRecord]:
    """The opening and its first wave, when this change frees a time worth offering."""
    reason = is_freed(before.status.is_open, after.status.is_open, before.start, after.start,
                      after.status in CANCELLED)
    if not reason or not ctx.settings.waitlist_on or not worth_offering(before.start, now):
        return []
    if closed_on(ctx.settings, before.start, ctx.therapist.timezone):
        return []  # freed on a day the practice is closed: nobody should book it
    modes = modes_offered_at(ctx.availability, ctx.therapist, before.start) or frozenset({before.mode})
    opening = Opening(id=new_id(), therapist_id=before.therapist_id, start=before.start,
                      end=before.end, modes=modes, source_appointment_id=before.id,
                      freed_at=now, reason=reason)
    due = now + timedelta(minutes=policy_of(ctx.settings).grace_minutes)
    return [deps.store.opening_record(opening),
            deps.store.offer_message_record(wave_message(opening, 1, due))]


# --- the scheduled function ------------------------------------------------------------------
def send_due_offers(deps: Deps, **options: Any) -> dict:
    """The waitlist function: the offer waves that are due."""
    return send_due(deps, OFFER, send_wave, **options)


def still_free(deps: Deps, opening: Opening, therapist: Therapist) -> bool:
    """No open session holds any of the opening's time (one Query of the calendar)."""
    buffer = timedelta(minutes=therapist.buffer_minutes)
    booked = deps.store.therapist_appointments(opening.therapist_id, opening.start - timedelta(hours=4),
                                               opening.end + buffer)
    return not any(s < opening.end + buffer and opening.start < e
                   for s, e in busy_intervals(booked, buffer))


def _close(deps: Deps, opening: Opening, reason: str) -> NoReturn:
    deps.store.save_opening(opening.closed())
    raise Skip(reason)


def send_wave(deps: Deps, out: Outgoing) -> str:
    """One wave of one opening; returns a summary as the run's "provider id", or raises Skip."""
    store, now, settings = deps.store, out.now, out.settings
    opening = store.get_opening(out.message.detail.get("opening", ""), consistent=True)
    if opening is None or opening.status != OPEN:
        raise Skip("the opening was claimed or closed")
    therapist = out.therapist or store.get_therapist(opening.therapist_id)
    policy = policy_of(settings)
    if not policy.on:
        _close(deps, opening, "the waitlist is turned off")
    if not worth_offering(opening.start, now):
        _close(deps, opening, "too near to offer")
    if therapist is None or not still_free(deps, opening, therapist):
        _close(deps, opening, "the time was booked again")
    if closed_on(settings, opening.start, therapist.timezone):
        _close(deps, opening, "the practice closed that day")
    if opening.reason == HOURS and not still_in_hours(opening, store.get_availability(therapist.id),
                                                      therapist):
        _close(deps, opening, "the hours that opened it were taken back")
    candidates = rank([e for e in store.waitlist_of(opening.therapist_id) if e.is_live(now)],
                      opening, now)
    window = policy.claim_window(opening.start, now)
    sent, tried = offer_to(deps, opening, candidates, policy.wave_size, settings, now, window)
    wave = opening.wave + 1
    if sent and not store.save_opening(opening.with_wave(sent)):
        log.info("opening %s changed while its wave went out", opening.id)
    if len(candidates) > tried and opening.start - now > window:
        store.put_message(wave_message(opening, wave + 1, now + window))
    if not sent:
        raise Skip("no one on the list fits this time now")
    return f"wave{wave}:{len(sent)}"


def offer_to(deps: Deps, opening: Opening, candidates: list[Candidate], size: int, settings: PracticeSettings,
             now: datetime, window: timedelta) -> tuple[list[OfferSent], int]:
    """Offer to the first ``size`` candidates who can hear of it now; returns who was sent
    an offer and how many candidates were looked at."""
    ahead = candidates[:size * READ_AHEAD]
    read = deps.store.read_for_sending(
        [c.entry.appointment_id for c in ahead if c.entry.appointment_id],
        [c.entry.client_id for c in ahead])
    sent: list[OfferSent] = []
    tried = 0
    for candidate in ahead:
        if len(sent) >= size:
            break
        tried += 1
        client = read.clients.get(candidate.entry.client_id)
        session = read.appointments.get(candidate.entry.appointment_id)
        if client is None or not _still_later(candidate, session, opening):
            continue
        if session is not None and session.mode in opening.modes and not candidate.entry.prefs.mode:
            candidate = Candidate(candidate.entry, session.mode)  # as they have it now
        channel = offer_channel(client, settings, now)
        if channel is None:
            continue
        expires = int((now + CAP_TTL).timestamp())
        if not deps.store.claim_offer_day(client.id, local_day(now, client.timezone), opening.id, expires):
            continue  # two offers today already
        if _send_offer(deps, opening, candidate, client, channel, settings):
            deps.store.note_offer(client.id, OfferRef(opening.id, opening.start))
            sent.append(OfferSent(client.id, opening.wave + 1, now, channel.value))
    return sent, tried


def _still_later(candidate: Candidate, session: Appointment | None, opening: Opening) -> bool:
    """The session the time would replace is still on the calendar, and later than it."""
    if not candidate.entry.appointment_id:
        return True
    return bool(session and session.status.is_open and session.start > opening.start)


def offer_channel(client: Client, settings: PracticeSettings, now: datetime) -> Channel | None:
    """A text where the client takes them and it isn't their quiet hours, else email."""
    for channel in (Channel.SMS, Channel.EMAIL):
        if not client.wants(channel):
            continue
        if channel in PHONE_CHANNELS and in_quiet_hours(now, client, settings):
            continue
        return channel
    return None


def _send_offer(deps: Deps, opening: Opening, candidate: Candidate, client: Client, channel: Channel,
                settings: PracticeSettings) -> bool:
    link = deps.links.offer_url(opening, client.id)
    values = compose.offer_values(opening, candidate.mode, client, settings, link)
    try:
        if channel is Channel.SMS:
            deps.notifier.send_sms(client.phone, compose.offer_sms(values))
        else:
            deps.notifier.send_email(compose.offer_email(values, client.email))
        return True
    except Exception:  # one unreachable client must not hold up the wave
        log.exception("could not send a waitlist offer")
        return False
