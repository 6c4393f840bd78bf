"""Erasure on request: a client's name, contact details, notes, barrier texts, check-in answers
and message texts go; de-identified sessions stay (so attendance figures stay true), with a
tombstone saying who erased whom and when. Running it twice changes nothing more.

Future sessions are cancelled first, with no message to anyone: their time opens again and
their pending reminders are withdrawn in the same transaction. Then nothing is left to send.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.domain.audit import Actor
from portal.domain.errors import DomainError, StaleVersion
from portal.domain.model import Client
from portal.domain.privacy import Tombstone
from portal.interfaces import Deps
from portal.services.privacy import access_log
from portal.services.sessions import booking

VIA = "erasure"


class ErasureRefused(DomainError):
    """Unknown client, already erased, or the typed confirmation does not match."""


@dataclass(frozen=True)
class Erased:
    client_id: str
    cancelled: int  # future sessions cancelled
    sessions: int  # sessions kept, de-identified


def check_confirmation(first_name: str, typed: str) -> None:
    if (typed or "").strip().casefold() != first_name.strip().casefold():
        raise ErasureRefused("To erase, type the client's first name exactly as shown. Nothing was changed.")


def erase_client(deps: Deps, client_id: str, by_id: str, ip: str | None = None,
                 confirmation: str | None = None) -> Erased:
    """``by_id``: the admin's id, or "cli". ``confirmation``: the typed first name (the
    workspace asks for it; the command line has its own prompt)."""
    store = deps.store
    client = store.get_client(client_id)
    if client is None:
        raise ErasureRefused("There is no client with that id. Nothing was changed.")
    if client.erased and store.tombstone(client.id) is not None:
        raise ErasureRefused("This client's data was erased already. Nothing was changed.")
    if confirmation is not None:
        check_confirmation(client.first_name, confirmation)
    now = deps.clock.now()
    cancelled = _cancel_future(deps, client, by_id, now)
    sessions = store.all_client_sessions(client.id)
    for appointment in sessions:
        store.erase_session_text(appointment.id)
    store.erase_checkins(client.id)
    store.erase_inbox_text(client.therapist_id, client.id)
    store.remove_waitlist_entry(client.id)  # it names the client and their times: it goes whole
    store.erase_client_profile(client.id, client.email, Tombstone(client.id, now, by_id))
    access_log.record(deps, by_id, client.id, "erase", ip)
    return Erased(client.id, cancelled, len(sessions))


def _cancel_future(deps: Deps, client: Client, by_id: str, now: datetime) -> int:
    """Open sessions still ahead: cancelled without a message (booking.cancel sends nothing)."""
    actor = Actor.system(VIA) if by_id == "cli" else Actor.therapist(by_id, VIA)
    cancelled = 0
    for appointment in deps.store.all_client_sessions(client.id):
        if not (appointment.status.is_open and appointment.start > now):
            continue
        for _attempt in range(3):  # a reminder run may touch it meanwhile: read again and retry
            ctx = deps.store.load_context(appointment.id, client.id, appointment.therapist_id)
            if ctx is None or not ctx.appointment.status.is_open:
                break
            try:
                booking.cancel(deps, ctx, ctx.appointment.version, actor=actor)
                cancelled += 1
                break
            except StaleVersion:
                continue
    return cancelled
