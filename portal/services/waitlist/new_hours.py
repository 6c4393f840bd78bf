"""Time a therapist opens by saving their hours (time off removed, a window added or widened)
is freed time too. The earliest newly open times that someone on the list could use become
openings, each with its first wave a grace period later, written in the same transaction as
the hours (so a stale form that saves nothing plans nothing). A few per save, not a whole new
day of hours: each later wave re-checks the time is still free and still inside the hours.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from portal.domain.ids import new_id
from portal.domain.model import Availability, Therapist
from portal.domain.slots import Slot, open_slots
from portal.domain.waitlist import HOURS, OPEN, Opening, policy_of, rank, wave_message, worth_offering
from portal.interfaces import Deps, StoreRecord

MAX_OPENINGS = 3  # per save: the earliest ones


def hours_records(deps: Deps, therapist: Therapist, updated: Therapist,
                  availability: Availability) -> list[StoreRecord]:
    """Openings (and first waves) for times this save opens that a live entry fits."""
    store, now = deps.store, deps.clock.now()
    settings = store.get_settings()
    entries = [e for e in store.waitlist_of(therapist.id) if e.is_live(now)] if settings.waitlist_on else []
    if not entries:
        return []
    before = store.get_availability(therapist.id)
    if before.version != availability.version:
        return []  # a stale form: its save fails and must plan nothing
    booked = store.therapist_appointments(therapist.id, now,
                                          now + timedelta(days=settings.booking_horizon_days + 1))
    was_open = {s.start for s in open_slots(therapist, before, booked, settings, now)}
    due = now + timedelta(minutes=policy_of(settings).grace_minutes)
    fresh = [s for s in open_slots(updated, availability, booked, settings, now)
             if s.start not in was_open and worth_offering(s.start, due)]
    records = []  # fitting when the first wave goes, not only now
    for opening in _openings(deps, updated, fresh, now, lambda o: bool(rank(entries, o, due))):
        records += [store.opening_record(opening),
                    store.offer_message_record(wave_message(opening, 1, due))]
    return records


def _openings(deps: Deps, therapist: Therapist, fresh: list[Slot], now: datetime,
              wanted: Callable[[Opening], bool]) -> list[Opening]:
    """The earliest fresh times someone wants, not overlapping one another nor an open
    opening already planned (a save, an undo and a redo plan each time once)."""
    if not fresh:
        return []
    planned = [o for o in deps.store.openings_of(therapist.id, fresh[0].start - timedelta(hours=4),
                                                  fresh[-1].start) if o.status == OPEN]
    buffer = timedelta(minutes=therapist.buffer_minutes)
    chosen: list[Opening] = []
    for slot in fresh:
        if any(slot.start < o.end + buffer and o.start < slot.end + buffer for o in planned + chosen):
            continue
        opening = Opening(id=new_id(), therapist_id=therapist.id, start=slot.start, end=slot.end,
                          modes=slot.modes, source_appointment_id="", freed_at=now, reason=HOURS)
        if wanted(opening):
            chosen.append(opening)
        if len(chosen) == MAX_OPENINGS:
            break
    return chosen

