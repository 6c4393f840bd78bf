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
from portal.domain.model import Appointment, Barrier, Channel, Client, InboxItem, Mode, Status
from portal.domain.wording import short_day

HISTORY_DAYS = 90  # how far back a miss still counts (and what the dashboard reads)
CHECKIN_DAYS = 30  # an older check-in answer says little about this week
# Reminders go out 72 h and 24 h before: within 48 h the first has been out a day.
CONFIRM_WITHIN = timedelta(hours=48)
LOW_CHECKIN_SCORE = 2  # on the 1-5 scale, 1 and 2 are low
REPEAT_MISSES = 3  # this many misses in HISTORY_DAYS make a pattern
REPEAT_CANCELS = 2  # this many cancellations (in time) in HISTORY_DAYS: life is crowded
HABIT_SESSIONS = 3  # past sessions needed before "usually confirms" means anything
BARRIER_DAYS = 14  # a barrier said about no session in particular counts this long

# Each factor's odds ratio and where it comes from: a source (calibration = the research file
# named above, § = its section) or "assumed: why". Points = ln(OR). tests/unit/test_risk_score.py
# fails if a factor loses its note.
ODDS: dict[str, tuple[float, str]] = {
    "no_show_last": (4.42, "Rural US system, 263,464 appointments (2021): prior no-show OR 4.42 "
                           "[calibration §5], in full when the no-show was their last session"),
    "no_show": (2.4, "assumed: an older no-show (in 90 days, not the last session) is below the 4.42 of "
                     "§5, as the VA mental-health model ranks recent no-show history first (§5) and a "
                     "session they came to followed it"),
    "misses_often": (1.79, "Singapore outpatients: over 60% of past appointments missed vs under 20%, OR "
                           "1.79 [§5], on top of the prior miss; the threshold (3 in 90 days and at least "
                           "half) is assumed: 90 days hold too few sessions for the study's 60%"),
    "lead_4_weeks": (5.45, "Rural US system: lead time over 4 weeks vs under 1 day, OR 5.45 [§5]; measured "
                           "from when the session became the client's next one, since the published "
                           "effect is people waiting weeks for one appointment (issue 21)"),
    "lead_3_weeks": (2.38, "Singapore outpatients: lead time over 21 days vs under 7, OR 2.38 [§5]; "
                           "measured as above"),
    "late_cancel_last": (2.0, "assumed: a late cancel is a weaker signal than a no-show (the client did "
                              "tell us); no source gives a figure"),
    "late_cancel": (1.4, "assumed: an older late cancel, below the last session's as for no-shows"),
    "cancels_often": (1.9, "assumed: two or more cancellations in 90 days say something keeps getting in "
                           "the way (work/family is the commonest reason given, §1); no source gives an "
                           "OR. The simulated practice fits 1.9 (python -m sim.fit_risk, seed 1)"),
    "early": (1.8, "assumed: early dropout is common in psychotherapy; no OR in our sources"),
    "unconfirmed": (2.5, "assumed: a client who usually confirms has not confirmed this one a day after "
                         "the first reminder; the two-way-reminder studies (§3) show unconfirmed "
                         "sessions hold most cancellations. A client who rarely confirms gets nothing: "
                         "it is their habit. The simulated practice agrees in direction (fitted "
                         "1.7, python -m sim.fit_risk, full size, seed 1)"),
    "barrier": (2.5, "assumed: the client told us something stands in the way and nobody has answered"),
    "checkin": (2.5, "assumed: a 2 of 5 this month; anxiety/avoidance has no published share (§1)"),
    "checkin_lowest": (3.0, "assumed: a 1 of 5, the lowest answer, weighs more than a 2; no source "
                            "grades it"),
    "video": (1.37, "Rural Louisiana behavioral health: no-shows 17% by video vs 13% in person [§2] "
                    "(calc: OR (17/83)/(13/87) = 1.37); the direction varies by setting, so it stays small"),
    "unreachable": (1.62, "Reminders vs none, pooled OR 1.62 (Boksmati 2016, §3): a client reminders "
                          "cannot reach loses what they give"),
}
WEIGHTS = {kind: math.log(odds) for kind, (odds, _) in ODDS.items()}
SOURCES = {kind: note for kind, (_, note) in ODDS.items()}
# Day of the week and hour are left out: none of our sources gives an effect for them.


class Level(str, enum.Enum):
    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"


# The one place the levels are cut. Chosen on the simulated practice (make simulate's
# sessions.csv, 24 h before each session, "everything" scenario, full size, seed 1), the
# cut points that keep High under one session in five with the share missed rising from
# Low to Medium to High: High needs two clear signs (their last session missed and this one
# unconfirmed, or a barrier and a low check-in); Medium is one (a barrier, a low check-in,
# an unconfirmed session from a client who usually confirms, their last session missed);
# the common, weak signs (by video, an early session, an older no-show) stay Low on their
# own. The demo seed (tests/unit/test_risk_seed.py) checks it reads the same on a small practice.
HIGH_FROM = 2.2  # combined odds x9 or more
MEDIUM_FROM = 0.9  # combined odds x2.5 or more: a barrier or a low check-in alone


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
KEPT_OR_MISSED = (Status.ATTENDED, Status.NO_SHOW, Status.LATE_CANCELLED)


def _recent(history: list[Appointment], now: datetime) -> list[Appointment]:
    """The client's past sessions in the last HISTORY_DAYS, oldest first."""
    since = now - timedelta(days=HISTORY_DAYS)
    return sorted((a for a in history if since <= a.start <= now), key=lambda a: a.start)


def _last_session(recent: list[Appointment]) -> Appointment | None:
    """Their latest session that was kept or missed (a cancel in time is neither)."""
    return next((a for a in reversed(recent) if a.status in KEPT_OR_MISSED), None)


def missed_before(history: list[Appointment], now: datetime, zone_name: str | None,
                  is_next: bool = True) -> Factor | None:
    """A no-show, else a late cancel, in 90 days: stronger when it was their last session and
    this is the next one (another session of theirs comes first: that one will say more)."""
    recent = _recent(history, now)
    last = _last_session(recent) if is_next else None
    for status, kind, verb in ((Status.NO_SHOW, "no_show", "Missed"),
                               (Status.LATE_CANCELLED, "late_cancel", "Cancelled late")):
        missed = [a for a in recent if a.status is status]
        if not missed:
            continue
        extra = f" ({len(missed)} in 90 days)" if len(missed) > 1 else ""
        day = short_day(missed[-1].start, zone_name)
        if last is missed[-1]:
            return Factor(f"{kind}_last", f"{verb} their last session, on {day}{extra}")
        return Factor(kind, f"{verb} a session on {day}{extra}")
    return None


def misses_often(history: list[Appointment], now: datetime) -> Factor | None:
    """Three or more misses (no-shows or late cancels) in 90 days, and at least half their
    sessions (the study compares over 60% missed with under 20%)."""
    recent = [a for a in _recent(history, now) if a.status is not Status.CANCELLED]
    missed = sum(a.status in (Status.NO_SHOW, Status.LATE_CANCELLED) for a in recent)
    if missed < REPEAT_MISSES or 2 * missed < len(recent):
        return None
    return Factor("misses_often", f"Missed or cancelled late {missed} of their last {len(recent)} sessions")


def cancels_often(history: list[Appointment], now: datetime) -> Factor | None:
    cancelled = sum(a.status is Status.CANCELLED for a in _recent(history, now))
    if cancelled < REPEAT_CANCELS:
        return None
    return Factor("cancels_often", f"Cancelled {cancelled} sessions in the last 90 days")


def lead_time(appointment: Appointment, sessions: list[Appointment]) -> Factor | None:
    """Waiting long for this session: counted from when it was booked, or from the end of
    their session before it if that came after (in a standing series a session waits only
    from when it becomes the next one)."""
    if appointment.created_at is None:
        return None
    since = max([appointment.created_at] + [a.end for a in sessions if a.start < appointment.start])
    weeks = (appointment.start - since).days // 7
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


def usually_confirms(history: list[Appointment]) -> bool:
    """Three in four or more of their past sessions (kept or missed) were confirmed, of at least
    three: a habit, not a coin toss."""
    past = [a for a in history if a.status in KEPT_OR_MISSED]
    return len(past) >= HABIT_SESSIONS and 4 * sum(bool(a.confirmed_via) for a in past) >= 3 * len(past)


def unconfirmed_soon(appointment: Appointment, history: list[Appointment], now: datetime) -> Factor | None:
    if appointment.status is not Status.SCHEDULED or not now < appointment.start <= now + CONFIRM_WITHIN:
        return None
    if not usually_confirms(history):
        return None  # never confirming is some clients' way: it says nothing about this session
    return Factor("unconfirmed", "Usually confirms, but hasn't confirmed this one")


def _barrier_counts(item: InboxItem, appointment: Appointment, now: datetime) -> bool:
    """Unhandled, and about this session, or (about no session in particular) recent."""
    if item.handled or item.client_id != appointment.client_id:
        return False
    if item.appointment_id:
        return item.appointment_id == appointment.id
    return item.at >= now - timedelta(days=BARRIER_DAYS)


def open_barrier(appointment: Appointment, inbox: list[InboxItem], now: datetime) -> Factor | None:
    """A barrier on this session, or one the client told us about it (or about no session in
    particular, lately) that nobody has handled. One about another session stops counting
    once that session has passed, and never weighs on the sessions after it."""
    barriers: list[Barrier] = [appointment.barrier] if appointment.barrier else []
    mine = [i for i in inbox if _barrier_counts(i, appointment, now)]
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
    kind = "checkin_lowest" if checkin.score <= 1 else "checkin"
    return Factor(kind, f"Rated their week {checkin.score} of 5 on {short_day(checkin.at, zone_name)}")


def by_video(appointment: Appointment) -> Factor | None:
    return Factor("video", "By video (missed a little more often than in person)") \
        if appointment.mode is Mode.TELE else None


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
    """The score of one upcoming open session; an empty score for anything else.

    ``history`` is the client's sessions the dashboard read: the past ones, and may include
    upcoming ones (which tell whether this session is their next one)."""
    if not appointment.status.is_open or appointment.start <= now:
        return RiskScore()
    mine = [a for a in history if a.client_id == appointment.client_id and a.id != appointment.id]
    earlier = [a for a in mine if a.start <= now]
    is_next = not any(a.status.is_open and now < a.start < appointment.start for a in mine)
    cannot_reach = unreachable(client)
    found = (missed_before(earlier, now, zone_name, is_next), misses_often(earlier, now),
             cancels_often(earlier, now), lead_time(appointment, mine), early_session(appointment, earlier),
             unconfirmed_soon(appointment, earlier, now), open_barrier(appointment, inbox, now),
             low_checkin(checkin, now, zone_name), by_video(appointment),
             Factor("unreachable", cannot_reach) if cannot_reach else None)
    return RiskScore(tuple(f for f in found if f is not None))


# --- what to do about it ----------------------------------------------------------------------
ACTIONS = {  # by the strongest reason
    "unreachable": "Call to check their contact details and that they know the time",
    "barrier": "Ask what would help: video, another time, or the sliding scale",
    "checkin": "A short, warm check-in on how they are doing",
    "checkin_lowest": "A short, warm check-in on how they are doing",
    "unconfirmed": "Check they can still come, and offer another time if not",
    "no_show_last": "A friendly reminder, and ask if this time still works",
    "no_show": "A friendly reminder, and ask if this time still works",
    "late_cancel_last": "A friendly reminder, and ask if this time still works",
    "late_cancel": "A friendly reminder, and ask if this time still works",
    "cancels_often": "Ask if this time still suits them, or another would be easier",
    "misses_often": "A friendly reminder, and ask if this time still works",
    "lead_4_weeks": "Check the time still works: it was booked a while ago",
    "lead_3_weeks": "Check the time still works: it was booked a while ago",
    "early": "A welcome and a reminder of how to get there or join",
    "video": "A reminder of how to join the video call",
}


# A barrier the client named gets the help that fits it (the seed article's answers to each).
BARRIER_ACTIONS: dict[Barrier | None, str] = {
    Barrier.SCHEDULE: "Offer another time: an evening or weekend if that suits them",
    Barrier.TRANSPORT: "Offer to hold it by video, or a time that is easier to get to",
    Barrier.COST: "Talk through the cost: the sliding scale, or fewer sessions for a while",
    Barrier.ANXIETY: "A warm word: it's fine to come as they are; video may feel easier",
    Barrier.ILLNESS: "Ask how they are; offer video or another time, no pressure",
}

# What the client told us, or can't receive, decides the action before their history does.
ACTION_FIRST = ("unreachable", "barrier", "checkin_lowest", "checkin", "unconfirmed")


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
