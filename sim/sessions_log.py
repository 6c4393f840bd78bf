"""sessions.csv: for each session, what the dashboard showed 24 hours before it, what the
simulator knew (its "oracle"), and what happened. One row per session, generic columns, so
other measures (the risk score, first sessions) read the same file.

At each hour the simulator asks the dashboard's own code (``sessions_view``, the store as it
is at that moment) for the sessions starting 24 to 25 hours later; the simulator's look-ups
are not counted as the product's calls. The oracle is read from the simulated people's hidden
state and never reaches the product.
"""
from __future__ import annotations

import math
from datetime import timedelta

from portal.domain.model import Status
from portal.services.workspace.dashboard import sessions_view
from sim import parameters as P

AHEAD = timedelta(hours=24)
COLUMNS = ("scenario", "seed", "appointment_id", "client_id", "therapist_id", "start", "seen_at",
           "mode", "score", "level", "factors", "reasons", "oracle", "oracle_traits", "outcome",
           "missed")


class SessionsLog:
    def __init__(self, sim):
        self.sim = sim
        self.seen: dict[str, dict] = {}  # appointment id -> the row as the dashboard showed it

    def hour(self, now):
        """Score the open sessions starting 24-25 hours from now, as the dashboard would."""
        begin, end = now + AHEAD, now + AHEAD + timedelta(hours=1)
        store = self.sim.deps.store
        with self.sim.quiet():
            for therapist in self.sim.therapists.values():
                if not any(a.status.is_open for a in store.therapist_appointments(therapist.id, begin, end)):
                    continue
                rows, _ = sessions_view(self.sim.deps, therapist, begin, end)
                for row in rows:
                    if row.appointment.status.is_open and begin <= row.appointment.start < end:
                        self.seen[row.appointment.id] = self._row(row, now)

    def _row(self, row, now) -> dict:
        a, risk = row.appointment, row.risk
        return {"scenario": self.sim.scenario.key, "seed": self.sim.options.seed,
                "appointment_id": a.id, "client_id": a.client_id, "therapist_id": a.therapist_id,
                "start": a.start.isoformat(), "seen_at": now.isoformat(), "mode": a.mode.value,
                "score": risk.points, "level": risk.level.value,
                "factors": " ".join(f.kind for f in risk.reasons),
                "reasons": " | ".join(f.text for f in risk.reasons),
                "oracle": round(oracle(self.sim, self.sim.by_id[a.client_id], a, now), 4),
                "oracle_traits": round(oracle(self.sim, self.sim.by_id[a.client_id], a, now, decided=False), 4)}

    def rows(self) -> list[dict]:
        """Every session seen, with its outcome from the final calendar."""
        final = {a.id: a for own in self.sim.sessions.values() for a in own}
        out = []
        for appointment_id, row in self.seen.items():
            outcome = _outcome(self.sim, final.get(appointment_id))
            missed = {"no_show": 1, "late_cancel": 1, "attended": 0}.get(outcome, "")
            out.append({**row, "outcome": outcome, "missed": missed})
        return out


def _outcome(sim, appointment) -> str:
    if appointment is None:
        return "gone"
    late = sim.cancels.get(appointment.id, (False,))[0]
    if appointment.status is Status.LATE_CANCELLED or (appointment.status is Status.CANCELLED and late):
        return "late_cancel"
    return {Status.ATTENDED: "attended", Status.NO_SHOW: "no_show",
            Status.CANCELLED: "cancelled"}.get(appointment.status, "open")


def oracle(sim, person, appointment, now, decided: bool = True) -> float:
    """The simulator's chance of a miss, from what it knows at ``now`` (cues to come not counted).

    A session the client will skip, or has a barrier for (they act close to it), is missed
    unless they move it or take help; a barrier may still hit in the day left; else they may
    forget, with the cues they have had so far. ``decided=False`` leaves out what the client has
    already decided and told no one: the best a score reading only their traits could do."""
    keep = P.SELF_RESCHEDULE.value if sim.scenario.two_way else 0.0  # moving it is not a miss
    known = 0.0 if not decided else 1.0 if appointment.id in person.skipping else \
        (1.0 - keep) if appointment.id in person.barriers else 0.0
    daily = [1 - (1 - min(w, 0.95)) ** (1 / 7) for w in person.barrier_weekly.values()]
    new_barrier = (1 - math.prod(1 - d for d in daily)) * (1.0 - keep)
    forget = person.forget_chance(appointment, appointment.start)
    return 1 - (1 - known) * (1 - new_barrier) * (1 - forget)
