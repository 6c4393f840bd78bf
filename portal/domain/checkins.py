"""A check-in answer, and which sessions sit outside the therapist's hours.

Who may miss a session, and why, is scored in ``portal.domain.risk_score``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.domain.model import Appointment, Availability, Therapist
from portal.domain.timemath import to_local


@dataclass(frozen=True)
class CheckIn:
    """A client's latest check-in answer (score 1-5)."""

    at: datetime
    score: int
    barrier: str | None = None
    note: str = ""


def outside_hours(appointment: Appointment, availability: Availability, therapist: Therapist) -> bool:
    """An open session no longer inside a weekly window, or on a day off.

    Such sessions are kept as booked; the workspace flags them so the therapist decides.
    """
    if not appointment.status.is_open:
        return False
    start = to_local(appointment.start, therapist.timezone)
    end = to_local(appointment.end, therapist.timezone)
    if any(off.covers(start.date()) for off in availability.time_off):
        return True
    if end.date() != start.date():
        return True
    return not any(w.start <= start.time() and end.time() <= w.end
                   for w in availability.windows_on(start.weekday()))
