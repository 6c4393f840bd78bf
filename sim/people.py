"""A simulated client: hidden propensities drawn once per client, and what they remember.

The propensities come from the seed and the client alone, so every scenario meets the same
people; each person's own random stream (also seeded by the client) decides their moves,
so two scenarios differ only where the product gave them something different to answer.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from portal.domain.model import Barrier, Client, Mode
from portal.domain.timemath import to_local
from sim import parameters as P


@dataclass
class Person:
    client: Client
    forget_max: float
    barrier_weekly: dict  # Barrier -> weekly chance
    style: dict  # "early" / "late" / "no_show" -> chance
    rng: random.Random
    browser: object = None
    cues: dict = field(default_factory=dict)  # appointment id -> when it was last brought to mind
    routine_cue: datetime | None = None  # the last attended session ("see you next week")
    missed_last: bool = False
    links: dict = field(default_factory=dict)  # appointment id -> the latest /a/ link for it
    barriers: dict = field(default_factory=dict)  # appointment id -> Barrier in the way
    skipping: set = field(default_factory=set)  # appointment ids they will simply not come to
    earlier: dict | None = None  # the waitlist choices they would make; None: they don't want it
    answer_minutes: float = 30.0  # their mean time from reading a waitlist offer to answering

    # --- forgetting ---------------------------------------------------------------------------
    def cue(self, appointment_id: str, at: datetime):
        self.cues[appointment_id] = at

    def forget_chance(self, appointment, now: datetime) -> float:
        cued = [c for c in (self.cues.get(appointment.id), self.routine_cue, appointment.created_at) if c]
        hours = max(0.0, (now - max(cued)).total_seconds() / 3600) if cued else 24 * 28
        chance = self.forget_max * (1 - math.exp(-hours / P.FORGET_HOURS.value))
        odds = chance / (1 - chance)
        if self.missed_last:
            odds *= P.HISTORY_OR.value
        if appointment.mode is Mode.TELE:
            odds *= P.VIDEO_OR.value
        return odds / (1 + odds)

    def comes(self, appointment, now: datetime) -> bool:
        """At the session's start: do they turn up? (A barrier they kept quiet about: no.)"""
        if appointment.id in self.skipping:
            return False
        return self.rng.random() >= self.forget_chance(appointment, now)

    def after_session(self, attended: bool, at: datetime):
        self.missed_last = not attended
        if attended and self.rng.random() < P.SESSION_CUE.value:
            self.routine_cue = at

    # --- barriers -----------------------------------------------------------------------------
    def barriers_today(self) -> list[Barrier]:
        hits = []
        for barrier, weekly in self.barrier_weekly.items():
            daily = 1 - (1 - min(weekly, 0.95)) ** (1 / 7)
            if self.rng.random() < daily:
                hits.append(barrier)
        return hits

    def response(self) -> str:
        return self.rng.choices(list(self.style), weights=list(self.style.values()))[0]

    # --- when they act ------------------------------------------------------------------------
    def awake_from(self, instant: datetime) -> datetime:
        """The first moment at or after ``instant`` inside their waking hours."""
        first, last = P.WAKING_HOURS.value
        local = to_local(instant, self.client.timezone)
        hour = local.hour + local.minute / 60
        if first <= hour < last:
            return instant
        days = 1 if hour >= last else 0
        wake = (local + timedelta(days=days)).replace(hour=int(first), minute=int(first % 1 * 60),
                                                       second=0, microsecond=0)
        return wake.astimezone(instant.tzinfo)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def draw_people(clients: list[Client], seed: int) -> list[Person]:
    people = []
    low, high = P.FORGET_MAX.value
    spread_low, spread_high = P.BARRIER_SPREAD.value
    for client in clients:
        traits = random.Random(f"traits-{seed}-{client.id}")
        spread = traits.uniform(spread_low, spread_high)
        weights = {k: traits.gammavariate(4 * v, 1) for k, v in P.RESPONSE_STYLE.value.items()}
        total = sum(weights.values())
        people.append(Person(
            client=client, forget_max=traits.uniform(low, high),
            barrier_weekly={Barrier(k): v * spread for k, v in P.BARRIER_WEEKLY.value.items()},
            style={k: w / total for k, w in weights.items()},
            rng=random.Random(f"moves-{seed}-{client.id}"),
            earlier=_earlier_choices(traits), answer_minutes=traits.uniform(*P.WAITLIST_ANSWER_MINUTES.value)))
    return people


def _earlier_choices(traits: random.Random) -> dict | None:
    """What a client would tick on the "I'd take an earlier time" page, or None if they'd not
    join. Drawn whatever the scenario, so every scenario keeps the same stream of traits."""
    wants = traits.random() < P.WAITLIST_JOIN.value
    days = [str(d) for d in range(7) if traits.random() < P.WAITLIST_DAY_KEPT.value] or [str(traits.randrange(7))]
    parts = [p for p in ("morning", "afternoon", "evening") if traits.random() < P.WAITLIST_PART_KEPT.value]
    parts = parts or [traits.choice(("morning", "afternoon", "evening"))]
    modes, notices = P.WAITLIST_MODE.value, P.WAITLIST_NOTICE.value
    mode = traits.choices(list(modes), weights=list(modes.values()))[0]
    notice = traits.choices(list(notices), weights=list(notices.values()))[0]
    return {"days": days, "parts": parts, "mode": mode, "notice": str(notice)} if wants else None
