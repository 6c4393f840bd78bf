"""How likely an upcoming session is to be missed: a score with the reasons behind it.

The score adds up log odds ratios: each factor that applies multiplies the odds of a
no-show by its published (or assumed) odds ratio, so the points are ln(OR) and add.
Sources: /work/shared/research/outcome-calibration.md (section numbers below) and issue 10.
Plain Python: the caller passes the history, inbox, latest check-in and client in.
"""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.domain.checkins import CheckIn
from portal.domain.model import Appointment, Barrier, Channel, Client, InboxItem, Status
from portal.domain.wording import short_day

HISTORY_DAYS = 90  # how far back a miss still counts (and what the dashboard reads)
CHECKIN_DAYS = 30  # an older check-in answer says little about this week
CONFIRM_WITHIN = timedelta(hours=24)  # reminders go out 72 h and 24 h before: by now they have
LOW_CHECKIN_SCORE = 2  # on the 1-5 scale, 1 and 2 are low
REPEAT_MISSES = 3  # this many misses in HISTORY_DAYS make a pattern

# Points = ln(odds ratio). Each weight names its source, or says "assumed" and why.
WEIGHTS = {
    # Rural US system, 263,464 appointments (2021): prior no-show OR 4.42 [calibration §5].
    "no_show": math.log(4.42),
    # Singapore outpatients: over 60% of past appointments missed vs under 20%, OR 1.79 [§5];
    # counted on top of the prior no-show from 3 misses in 90 days (threshold assumed: our
    # 90-day window holds too few sessions to use the study's percentages).
    "misses_often": math.log(1.79),
    # Same study: lead time over 4 weeks vs under 1 day, OR 5.45 [§5].
    "lead_4_weeks": math.log(5.45),
    # Singapore outpatients: lead time over 21 days vs under 7, OR 2.38 [§5].
    "lead_3_weeks": math.log(2.38),
    # Assumed OR 2: a late cancel is a weaker signal than a no-show (the client did tell us);
    # no source gives a figure.
    "late_cancel": math.log(2.0),
    # Assumed OR 1.8: early dropout is common in psychotherapy; no OR in our sources.
    "early": math.log(1.8),
    # Assumed OR 2.5: two reminders went unanswered within a day of the session; the
    # two-way-reminder studies (§3) show unconfirmed sessions hold most cancellations.
    "unconfirmed": math.log(2.5),
    # Assumed OR 2.5: the client told us something stands in the way and nobody has answered.
    "barrier": math.log(2.5),
    # Assumed OR 2.5: a 1 or 2 of 5 this month; anxiety/avoidance has no published share (§1).
    "checkin": math.log(2.5),
    # Reminders vs none, pooled OR 1.62 (Boksmati 2016, §3): a client they can't reach loses it.
    "unreachable": math.log(1.62),
}


class Level(str, enum.Enum):
    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"


# The one place the levels are cut. High needs a missing history plus a sign about this very
# session (a prior no-show alone is Medium), so High marks a few sessions, not most of them.
HIGH_FROM = 2.2  # combined odds x9 or more: history plus a sign about this session
MEDIUM_FROM = 0.8  # combined odds x2.2 or more


def level_of(points: float) -> Level:
    if points >= HIGH_FROM:
        return Level.HIGH
    return Level.MEDIUM if points >= MEDIUM_FROM else Level.LOW


@dataclass(frozen=True)
class Factor:
    kind: str  # a key of WEIGHTS
    text: str  # plain words for the therapist
    barrier: Barrier | None = None  # for "barrier": what the client said, which picks the action

    @property
    def points(self) -> float:
        return WEIGHTS[self.kind]


@dataclass(frozen=True)
class RiskScore:
    factors: tuple[Factor, ...] = ()

    @property
    def points(self) -> float:
        return round(sum(f.points for f in self.factors), 2)

    @property
    def level(self) -> Level:
        return level_of(self.points)

    @property
    def reasons(self) -> list[Factor]:
        """Strongest first."""
        return sorted(self.factors, key=lambda f: -f.points)


# --- the factors: each one small function -----------------------------------------------------
def _misses(history: list[Appointment], now: datetime, status: Status) -> list[Appointment]:
    since = now - timedelta(days=HISTORY_DAYS)
    return sorted((a for a in history if a.status is status and since <= a.start <= now),
                  key=lambda a: a.start)


def prior_no_show(history, now, zone_name) -> Factor | None:
    missed = _misses(history, now, Status.NO_SHOW)
    if not missed:
        return None
    extra = f" ({len(missed)} in 90 days)" if len(missed) > 1 else ""
    return Factor("no_show", f"Missed a session on {short_day(missed[-1].start, zone_name)}{extra}")


def prior_late_cancel(history, now, zone_name) -> Factor | None:
    late = _misses(history, now, Status.LATE_CANCELLED)
    if not late:
        return None
    return Factor("late_cancel", f"Cancelled late on {short_day(late[-1].start, zone_name)}")


def misses_often(history, now) -> Factor | None:
    """Three or more misses (no-shows or late cancels) in 90 days, of how many sessions."""
    since = now - timedelta(days=HISTORY_DAYS)
    recent = [a for a in history if since <= a.start <= now and a.status is not Status.CANCELLED]
    missed = sum(a.status in (Status.NO_SHOW, Status.LATE_CANCELLED) for a in recent)
    if missed < REPEAT_MISSES:
        return None
    return Factor("misses_often", f"Missed or cancelled late {missed} of their last {len(recent)} sessions")


def lead_time(appointment: Appointment) -> Factor | None:
    """Booked long before: the longer the wait, the likelier plans change."""
    if appointment.created_at is None:
        return None
    weeks = (appointment.start - appointment.created_at).days // 7
    if weeks >= 4:
        return Factor("lead_4_weeks", f"Booked {weeks} weeks ahead")
    if weeks >= 3:
        return Factor("lead_3_weeks", "Booked 3 weeks ahead")
    return None


def early_session(appointment: Appointment, history: list[Appointment]) -> Factor | None:
    """A first or second session: fewer than two attended before it (within the history read)."""
    attended = sum(a.status is Status.ATTENDED and a.start < appointment.start for a in history)
    if attended >= 2:
        return None
    return Factor("early", "First session with you" if attended == 0 else "Second session with you")


def unconfirmed_soon(appointment: Appointment, now: datetime) -> Factor | None:
    if appointment.status is Status.SCHEDULED and now < appointment.start <= now + CONFIRM_WITHIN:
        return Factor("unconfirmed", "Not confirmed, and it starts within 24 hours")
    return None


def open_barrier(appointment: Appointment, inbox: list[InboxItem]) -> Factor | None:
    """A barrier on this session, or one the client sent that nobody has handled yet."""
    barriers: list[Barrier] = [appointment.barrier] if appointment.barrier else []
    mine = [i for i in inbox if i.client_id == appointment.client_id and not i.handled]
    barriers += [i.barrier for i in mine if i.barrier]
    if barriers:
        return Factor("barrier", f"Said this is in the way: {barriers[0].label.lower()}", barriers[0])
    if any(i.kind == "barrier" for i in mine):
        return Factor("barrier", "Said something is in the way")
    return None


def low_checkin(checkin: CheckIn | None, now: datetime, zone_name: str) -> Factor | None:
    if checkin is None or checkin.score > LOW_CHECKIN_SCORE:
        return None
    if checkin.at < now - timedelta(days=CHECKIN_DAYS):
        return None
    return Factor("checkin", f"Rated their week {checkin.score} of 5 on {short_day(checkin.at, zone_name)}")


def unreachable(client: Client | None) -> str | None:
    """Why reminders may not reach this client, or None: opted out of everything, bounced
    email, or texts that failed to deliver (the ``sms_unreachable`` flag, from SMS receipts)."""
    if client is None:
        return None
    if not any(client.wants(c) for c in client.channels):
        return "No reminder can reach them (opted out, or no working email or number)"
    if client.email_blocked and Channel.EMAIL in client.channels:
        return "Reminder emails to them bounced"
    if client.sms_unreachable and Channel.SMS in client.channels:
        return "Reminder texts to them failed to deliver"
    return None


def score(appointment: Appointment, *, client: Client | None, history: list[Appointment],
          inbox: list[InboxItem], checkin: CheckIn | None, now: datetime, zone_name: str) -> RiskScore:
    """The score of one upcoming open session; an empty score for anything else."""
    if not appointment.status.is_open or appointment.start <= now:
        return RiskScore()
    earlier = [a for a in history if a.client_id == appointment.client_id and a.id != appointment.id]
    cannot_reach = unreachable(client)
    # A late cancel and a no-show both say "has missed before": count the stronger one only.
    missed_before = prior_no_show(earlier, now, zone_name) or prior_late_cancel(earlier, now, zone_name)
    found = (missed_before, misses_often(earlier, now), lead_time(appointment), early_session(appointment, earlier),
             unconfirmed_soon(appointment, now), open_barrier(appointment, inbox),
             low_checkin(checkin, now, zone_name),
             Factor("unreachable", cannot_reach) if cannot_reach else None)
    return RiskScore(tuple(f for f in found if f is not None))


# --- what to do about it ----------------------------------------------------------------------
ACTIONS = {  # by the strongest reason
    "unreachable": "Call to check their contact details and that they know the time",
    "barrier": "Ask what would help: video, another time, or the sliding scale",
    "checkin": "A short, warm check-in on how they are doing",
    "unconfirmed": "Check they can still come, and offer another time if not",
    "no_show": "A friendly reminder, and ask if this time still works",
    "late_cancel": "A friendly reminder, and ask if this time still works",
    "misses_often": "A friendly reminder, and ask if this time still works",
    "lead_4_weeks": "Check the time still works: it was booked a while ago",
    "lead_3_weeks": "Check the time still works: it was booked a while ago",
    "early": "A welcome and a reminder of how to get there or join",
}


# A barrier the client named gets the help that fits it (the seed article's answers to each).
BARRIER_ACTIONS = {
    Barrier.SCHEDULE: "Offer another time: an evening or weekend if that suits them",
    Barrier.TRANSPORT: "Offer to hold it by video, or a time that is easier to get to",
    Barrier.COST: "Talk through the cost: the sliding scale, or fewer sessions for a while",
    Barrier.ANXIETY: "A warm word: it's fine to come as they are; video may feel easier",
    Barrier.ILLNESS: "Ask how they are; offer video or another time, no pressure",
}

# What the client told us, or can't receive, decides the action before their history does.
ACTION_FIRST = ("unreachable", "barrier", "checkin", "unconfirmed")


def suggested_action(risk: RiskScore) -> str:
    kinds = [f.kind for f in risk.reasons]
    chosen = next((k for k in ACTION_FIRST if k in kinds), kinds[0] if kinds else None)
    if chosen == "barrier":
        said = next(f.barrier for f in risk.reasons if f.kind == "barrier")
        return BARRIER_ACTIONS.get(said, ACTIONS["barrier"])
    return ACTIONS[chosen] if chosen else ""


def contact_routes(client: Client | None) -> list[str]:
    """"sms" (tap to text) and/or "tel" (tap to call), the client's preferred channel first."""
    if client is None or not client.phone:
        return []
    routes = []
    for channel in client.channels + (Channel.SMS, Channel.VOICE):
        route = "sms" if channel is Channel.SMS and client.can_text else \
            "tel" if channel is Channel.VOICE else None
        if route and route not in routes:
            routes.append(route)
    return routes
