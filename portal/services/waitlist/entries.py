"""Joining and leaving the waitlist, from the client's appointment page or the therapist's
client page, and the lists the workspace shows.

One entry per client. It names the session an earlier time would replace and ends when
that session comes; a client with no session yet stays on the list for 60 days.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from portal.domain.errors import ValidationError
from portal.domain.model import Appointment, Client, Therapist
from portal.domain.waitlist import (
    DEFAULT_STAY_DAYS,
    WaitlistEntry,
    WaitlistFigures,
    WaitlistPrefs,
    entry_expiry,
    figures,
)
from portal.interfaces import AppointmentContext, Deps

NEXT_SESSION_WITHIN = timedelta(days=DEFAULT_STAY_DAYS)


def entry_for(deps: Deps, client_id: str) -> WaitlistEntry | None:
    """The client's entry while it lasts (one GetItem); the TTL deletes late, so check here."""
    return live(deps, deps.store.waitlist_entry(client_id))


def live(deps: Deps, entry: WaitlistEntry | None) -> WaitlistEntry | None:
    return entry if entry is not None and entry.is_live(deps.clock.now()) else None


def join(deps: Deps, ctx: AppointmentContext, prefs: WaitlistPrefs) -> WaitlistEntry:
    """From the appointment page: an earlier time than this session would be welcome."""
    now, appointment = deps.clock.now(), ctx.appointment
    if not appointment.status.is_open or appointment.start <= now:
        raise ValidationError("This session can't be moved any more, so there is no earlier "
                              "time to look for.")
    entry = WaitlistEntry(
        client_id=ctx.client.id, therapist_id=ctx.therapist.id, timezone=ctx.client.timezone,
        prefs=prefs, joined_at=_joined(deps, ctx.client.id, now), expires_at=appointment.start,
        appointment_id=appointment.id, current_start=appointment.start,
        name=ctx.client.short_name)
    deps.store.save_waitlist_entry(entry)
    return entry


def _joined(deps: Deps, client_id: str, now: datetime) -> datetime:
    """Changing one's choices keeps one's place on the list."""
    current = entry_for(deps, client_id)
    return current.joined_at if current else now


def add_by_therapist(deps: Deps, therapist_id: str, client: Client,
                     prefs: WaitlistPrefs | None = None) -> WaitlistEntry:
    """From the client page: any client of the therapist, a new one with no session included."""
    if client.therapist_id != therapist_id:
        raise ValidationError("That client sees another therapist.")
    now = deps.clock.now()
    upcoming = deps.store.client_appointments(client.id, now, now + NEXT_SESSION_WITHIN)
    session = next((a for a in upcoming if a.status.is_open and a.start > now), None)
    current = entry_for(deps, client.id)
    entry = WaitlistEntry(
        client_id=client.id, therapist_id=therapist_id, timezone=client.timezone,
        prefs=prefs or (current.prefs if current else WaitlistPrefs()),
        joined_at=current.joined_at if current else now,
        expires_at=entry_expiry(now, session.start if session else None),
        appointment_id=session.id if session else "",
        current_start=session.start if session else None, added_by="therapist",
        name=client.short_name)
    deps.store.save_waitlist_entry(entry)
    return entry


def leave(deps: Deps, client_id: str) -> bool:
    """One tap; leaving twice is fine."""
    return deps.store.remove_waitlist_entry(client_id)


def therapist_waitlist(deps: Deps, therapist_id: str) -> list[WaitlistEntry]:
    """The therapist's live entries, longest on the list first (one Query: each entry
    carries the client's short name)."""
    now = deps.clock.now()
    return [e for e in deps.store.waitlist_of(therapist_id) if e.is_live(now)]


# --- what the workspace shows --------------------------------------------------------------------
def slot_story(deps: Deps, appointment: Appointment) -> list[dict]:
    """The freed times of this session (its cancel, or a move away) and what became of each:
    offered to whom and when, and who claimed it. Two reads: its therapist's openings at
    that time (one Query) and the names of those offered it (one BatchGetItem)."""
    openings = [o for o in deps.store.openings_of(appointment.therapist_id, appointment.start - timedelta(days=60),
                                                  appointment.start + timedelta(days=60))
                if o.source_appointment_id == appointment.id]
    ids = {s.client_id for o in openings for s in o.offers} | {o.claimed_by for o in openings if o.claimed_by}
    names = {}
    if ids:
        clients = deps.store.read_for_sending((), sorted(ids), consistent=False).clients
        names = {cid: c.short_name for cid, c in clients.items()}
    return [{"opening": o, "offers": [(s, names.get(s.client_id, "a client")) for s in o.offers],
             "claimed_by": names.get(o.claimed_by, "") if o.claimed_by else ""}
            for o in sorted(openings, key=lambda o: o.freed_at)]


FIGURES_DAYS = 90


def figures_for(deps: Deps, viewer: Therapist) -> WaitlistFigures:
    """Freed times of the last 90 days (one Query per therapist shown): everyone's for the
    admin, one's own otherwise."""
    now = deps.clock.now()
    therapists = deps.store.list_therapists() if viewer.is_admin else [viewer]
    since = now - timedelta(days=FIGURES_DAYS)
    openings = [o for t in therapists
                for o in deps.store.openings_of(t.id, since, now + timedelta(days=400))
                if o.freed_at >= since]
    return figures(openings)
