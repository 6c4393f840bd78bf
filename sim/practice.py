"""The simulated practice, built through the real services: therapists with weekly hours (some
evenings and Saturdays), clients with zones, channels and consent, and a weekly or
fortnightly series each, booked as a therapist books one (on_behalf.book_series).

Who is in the practice depends only on the seed, never on the scenario.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from portal.domain.model import (
    Availability,
    AvailabilityWindow,
    Channel,
    Client,
    Mode,
    PracticeSettings,
    Therapist,
)
from portal.domain.timemath import local_wall_to_utc, to_local
from portal.services.sessions import on_behalf
from sim import parameters as P

BOTH = frozenset({Mode.IN_PERSON, Mode.TELE})
TELE = frozenset({Mode.TELE})
PRACTICE_ZONE = "America/New_York"
FIRST = ("Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ike", "Jo", "Kai", "Lia",
         "Max", "Nia", "Oli", "Pia", "Quin", "Rae", "Sol", "Tess", "Uma", "Vik", "Wren", "Yara", "Zed")
LAST = ("Abbott", "Brandt", "Castillo", "Duarte", "Ellison", "Fischer", "Garza", "Holm", "Ibarra",
        "Jansen", "Kowal", "Lindqvist", "Moreau", "Novak", "Okoro", "Pereira", "Quist", "Rahman")
OFFICE = "Simulated Practice, 1 Main Street"


@dataclass(frozen=True)
class SeriesPlan:
    client: Client
    therapist: Therapist
    first_start: datetime
    every_weeks: int
    count: int
    mode: Mode


def _windows(n: int) -> tuple[AvailabilityWindow, ...]:
    """Weekday hours for all; every other therapist has two evenings, every third a Saturday."""
    windows = [AvailabilityWindow(day, time(9), time(13), BOTH) for day in range(5)]
    windows += [AvailabilityWindow(day, time(14), time(17), BOTH if day % 2 else TELE) for day in range(5)]
    if n % 2 == 0:
        windows += [AvailabilityWindow(day, time(17), time(20), BOTH) for day in (1, 3)]
    if n % 3 == 0:
        windows.append(AvailabilityWindow(5, time(9), time(13), BOTH))
    return tuple(windows)


def therapists(count: int) -> list[tuple[Therapist, Availability]]:
    out = []
    for n in range(count):
        name = f"{FIRST[(n * 7) % len(FIRST)]} {LAST[(n * 5) % len(LAST)]}"
        therapist = Therapist(f"th{n:02d}", f"Dr. {name}", f"th{n:02d}@practice.example",
                              PRACTICE_ZONE, role="admin" if n == 0 else "therapist")
        out.append((therapist, Availability(windows=_windows(n))))
    return out


def _pick(rng: random.Random, weighted: dict):
    keys = list(weighted)
    return rng.choices(keys, weights=[weighted[k] for k in keys])[0]


def clients(count: int, staff: list[Therapist], rng: random.Random) -> list[Client]:
    out = []
    for n in range(count):
        channels = tuple(Channel(c) for c in _pick(rng, P.CHANNEL_MIX.value))
        first = FIRST[n % len(FIRST)]
        out.append(Client(
            id=f"cl{n:04d}", therapist_id=staff[n % len(staff)].id, first_name=first,
            last_name=LAST[(n * 7 + 3) % len(LAST)], email=f"client{n}@mail.example",
            phone=f"+1202555{n:04d}", timezone=_pick(rng, P.ZONES.value), channels=channels,
            sms_consent=Channel.SMS in channels))
    return out


def plan_series(therapist: Therapist, availability: Availability, own: list[Client], start: datetime,
                weeks: int, rng: random.Random) -> list[SeriesPlan]:
    """Give each client a weekly hour (weekly: both fortnights; fortnightly: one of them)."""
    hours = [(w.weekday, h, w.modes) for w in availability.windows
             for h in range(w.start.hour, w.end.hour)]
    rng.shuffle(hours)
    taken: dict[tuple[int, int], set[int]] = {}
    plans = []
    local_start = to_local(start, therapist.timezone)
    for client in own:
        weekly = rng.random() < P.WEEKLY_SHARE.value
        for weekday, hour, modes in hours:
            used = taken.setdefault((weekday, hour), set())
            free = {0, 1} - used
            if (weekly and len(free) < 2) or not free:
                continue
            parity = min(free)
            used.update({0, 1} if weekly else {parity})
            days_ahead = (weekday - local_start.weekday() - 1) % 7 + 1 + 7 * parity  # 1-7 days, then the fortnight
            day = local_start.date() + timedelta(days=days_ahead)
            first = local_wall_to_utc(day, time(hour), therapist.timezone)
            mode = Mode.TELE if Mode.IN_PERSON not in modes or rng.random() < P.VIDEO_SHARE.value \
                else Mode.IN_PERSON
            every = 1 if weekly else 2
            plans.append(SeriesPlan(client, therapist, first, every, max(1, weeks // every), mode))
            break
    return plans


def build(deps, n_therapists: int, n_clients: int, weeks: int, seed: int,
          settings: PracticeSettings, ready=None) -> dict:
    """The practice in the store; returns who is in it and the series booked. ``ready(staff,
    clients)`` is called before the series are booked (their first messages go out then)."""
    rng = random.Random(f"practice-{seed}")
    store, now = deps.store, deps.clock.now()
    store.save_settings(settings)
    staff = therapists(n_therapists)
    for therapist, availability in staff:
        store.add_therapist(therapist, availability)
    people = clients(n_clients, [t for t, _ in staff], rng)
    for client in people:
        store.add_client(client)
    if ready is not None:
        ready(staff, people)
    plans = []
    for therapist, availability in staff:
        own = [c for c in people if c.therapist_id == therapist.id]
        plans += plan_series(therapist, availability, own, now, weeks, rng)
    for plan in plans:
        on_behalf.book_series(deps, plan.therapist, plan.client, plan.first_start, plan.every_weeks,
                              plan.count, plan.mode, plan.therapist, location=OFFICE)
    return {"therapists": staff, "clients": people, "series": plans}


def practice_settings(**changes) -> PracticeSettings:
    return replace(PracticeSettings(display_name="Simulated Practice", timezone=PRACTICE_ZONE,
                                    contact_phone="+1 202-555-0100",
                                    tele_link_template="https://meet.example.org/sim-{appointment_id}"),
                   **changes)
