"""Who may miss a session, and why; and which sessions sit outside the therapist's hours.

Plain Python: the caller reads the history, inbox and check-ins and passes them in,
so each rule is one small function over plain values.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.domain.model import (
    Appointment, Availability, Barrier, InboxItem, Status, Therapist,
)
from portal.domain.timemath import to_local
from portal.domain.wording import short_day

CONFIRM_WITHIN = timedelta(hours=24)
HISTORY_DAYS = 90
LOW_CHECKIN_SCORE = 2  # on the 1-5 scale, 1 and 2 are low


@dataclass(frozen=True)
class CheckIn:
    """A client's latest check-in answer (score 1-5)."""

    at: datetime
    score: int
    barrier: str | None = None
    note: str = ""


@dataclass(frozen=True)
class RiskReason:
    kind: str  # "unconfirmed", "history", "barrier", "checkin"
    text: str


def unconfirmed_soon(appointment: Appointment, now: datetime) -> RiskReason | None:
    if appointment.status is not Status.SCHEDULED:
        return None
    if now < appointment.start <= now + CONFIRM_WITHIN:
        return RiskReason("unconfirmed", "Not confirmed, and it starts within 24 hours")
    return None


def missed_recently(history: list[Appointment], now: datetime, zone_name: str) -> RiskReason | None:
    """The most recent no-show or late cancellation in the last 90 days."""
    since = now - timedelta(days=HISTORY_DAYS)
    missed = [a for a in history
              if a.status in (Status.NO_SHOW, Status.LATE_CANCELLED) and since <= a.start <= now]
    if not missed:
        return None
    latest = max(missed, key=lambda a: a.start)
    what = "Missed a session" if latest.status is Status.NO_SHOW else "Cancelled late"
    extra = f" ({len(missed)} in 90 days)" if len(missed) > 1 else ""
    return RiskReason("history", f"{what} on {short_day(latest.start, zone_name)}{extra}")


def barrier_reported(appointment: Appointment, inbox: list[InboxItem]) -> RiskReason | None:
    """A barrier on this session, or one the client sent that nobody has handled yet."""
    barriers: list[Barrier] = [appointment.barrier] if appointment.barrier else []
    barriers += [i.barrier for i in inbox
                 if i.client_id == appointment.client_id and not i.handled and i.barrier]
    if barriers:
        return RiskReason("barrier", f"Reported: {barriers[0].label.lower()}")
    if any(i.client_id == appointment.client_id and not i.handled and i.kind == "barrier"
           for i in inbox):
        return RiskReason("barrier", "Reported something in the way")
    return None


def low_checkin(checkin: CheckIn | None, zone_name: str) -> RiskReason | None:
    if checkin is None or checkin.score > LOW_CHECKIN_SCORE:
        return None
    return RiskReason("checkin", f"Low check-in answer ({checkin.score} of 5) on "
                                 f"{short_day(checkin.at, zone_name)}")


def risk_reasons(appointment: Appointment, history: list[Appointment], inbox: list[InboxItem],
                 checkin: CheckIn | None, now: datetime, zone_name: str) -> list[RiskReason]:
    """Every reason this open session may be missed; empty when none applies."""
    if not appointment.status.is_open:
        return []
    found = (unconfirmed_soon(appointment, now), missed_recently(history, now, zone_name),
             barrier_reported(appointment, inbox), low_checkin(checkin, zone_name))
    return [r for r in found if r is not None]


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
