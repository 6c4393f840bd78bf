"""The therapist's view of the week: who to reach out to today, new inbox items, then the
sessions by day with a risk level each.

Per therapist it reads one calendar Query (90 days back to the end of the view: the
history the risk score needs comes with it), the client list, the inbox, and one
BatchGetItem for the availability and the latest check-in of every client with an open
session: four calls, however many clients.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import cast

from portal.domain.checkins import CheckIn
from portal.domain.model import Appointment, Client, InboxItem, Status, Therapist
from portal.domain.risk_score import (
    HISTORY_DAYS,
    Factor,
    Level,
    RiskScore,
    contact_routes,
    score,
    suggested_action,
)
from portal.domain.slots import outside_hours
from portal.domain.timemath import days, local_wall_to_utc, to_local
from portal.interfaces import Deps

CONFIRMATION_LABELS = {
    Status.SCHEDULED: "Not yet confirmed",
    Status.CONFIRMED: "Confirmed",
    Status.CANCELLED: "Cancelled",
    Status.LATE_CANCELLED: "Cancelled late",
    Status.ATTENDED: "Attended",
    Status.NO_SHOW: "Missed",
}


@dataclass
class SessionRow:
    appointment: Appointment
    client: Client | None
    therapist: Therapist
    risk: RiskScore = field(default_factory=RiskScore)
    outside_hours: bool = False
    past: bool = False  # it has started: what matters now is marking attendance

    @property
    def reasons(self) -> list[Factor]:
        return self.risk.reasons

    @property
    def level(self) -> Level:
        return self.risk.level

    @property
    def action(self) -> str:
        return suggested_action(self.risk)

    @property
    def routes(self) -> list[str]:
        """"sms" / "tel" links to offer, the client's preferred first."""
        return contact_routes(self.client)

    @property
    def confirmation(self) -> str:
        if self.past and self.appointment.status.is_open:
            return "Attendance not marked yet"
        return CONFIRMATION_LABELS[self.appointment.status]

    @property
    def at_risk(self) -> bool:
        """Worth a word before the session: High or Medium."""
        return self.level is not Level.LOW

    @property
    def client_name(self) -> str:
        if self.client is None:
            return "A client no longer on your list"
        return f"{self.client.first_name} {self.client.last_name}".strip()


@dataclass
class DayGroup:
    day: date
    sessions: list[SessionRow]


@dataclass
class InboxRow:
    item: InboxItem
    client: Client | None
    therapist: Therapist


REACH_OUT_MAX = 5


@dataclass
class Dashboard:
    days: list[DayGroup]
    inbox: list[InboxRow]

    @property
    def at_risk(self) -> list[SessionRow]:
        return [s for d in self.days for s in d.sessions if s.at_risk]

    @property
    def reach_out(self) -> list[SessionRow]:
        """Who to reach today: at most five High or Medium sessions, highest score first, one
        per client (their riskiest, then soonest, session)."""
        ranked = sorted(self.at_risk, key=lambda s: (-s.risk.points, s.appointment.start))
        once: dict = {}
        for row in ranked:
            once.setdefault(row.appointment.client_id, row)
        return list(once.values())[:REACH_OUT_MAX]

    @property
    def new_inbox(self) -> list[InboxRow]:
        return [r for r in self.inbox if not r.item.handled]

    @property
    def handled_inbox(self) -> list[InboxRow]:
        return [r for r in self.inbox if r.item.handled]

    @property
    def level_counts(self) -> dict[Level, int]:
        upcoming = [s for d in self.days for s in d.sessions if not s.past and s.appointment.status.is_open]
        return {level: sum(s.level is level for s in upcoming) for level in Level}

    @property
    def session_count(self) -> int:
        return sum(len(d.sessions) for d in self.days)


def latest_checkin(deps: Deps, client_id: str) -> CheckIn | None:
    """The client's newest check-in answer, if any."""
    return deps.store.latest_checkins([client_id]).get(client_id)


def sessions_view(deps: Deps, therapist: Therapist, start: datetime, end: datetime, *,
                  with_inbox: bool = True) -> tuple[list[SessionRow], list[InboxRow]]:
    """Rows for sessions starting in [start, end), and the therapist's inbox (newest first)."""
    store, now = deps.store, deps.clock.now()
    calendar = store.therapist_appointments(therapist.id, min(start, now) - timedelta(days=HISTORY_DAYS), end)
    clients = {c.id: c for c in store.list_clients(therapist.id)}
    inbox = store.inbox(therapist.id) if with_inbox else []
    shown = [a for a in calendar if start <= a.start < end]
    availability, checkins = store.availability_with_checkins(
        therapist.id, sorted({a.client_id for a in shown if a.status.is_open and a.start > now}))
    assert availability is not None  # read for a named therapist
    history_of: dict[str, list[Appointment]] = {}  # past and upcoming: is a session their next?
    for a in calendar:
        history_of.setdefault(a.client_id, []).append(a)
    rows = []
    for a in shown:
        risk = score(a, client=clients.get(a.client_id), history=history_of.get(a.client_id, []),
                     inbox=inbox, checkin=checkins.get(a.client_id), now=now, zone_name=therapist.timezone)
        rows.append(SessionRow(a, clients.get(a.client_id), therapist, risk,
                               a.start > now and outside_hours(a, availability, therapist),
                               past=a.start <= now))
    inbox_rows = [InboxRow(i, clients.get(i.client_id), therapist) for i in inbox]
    return rows, inbox_rows


def week_ahead(deps: Deps, therapists: list[Therapist], days_ahead: int = 7) -> Dashboard:
    """Today and the next ``days_ahead`` days in the (first) therapist's zone."""
    zone_name = therapists[0].timezone
    today = to_local(deps.clock.now(), zone_name).date()
    last = today + timedelta(days=days_ahead)
    start, end = _day_start(today, zone_name), _day_start(last + timedelta(days=1), zone_name)
    rows, inbox = [], []
    for therapist in therapists:
        found, items = sessions_view(deps, therapist, start, end)
        rows += found
        inbox += items
    rows.sort(key=lambda r: r.appointment.start)
    inbox.sort(key=lambda r: r.item.at, reverse=True)
    groups = [DayGroup(day, [r for r in rows if to_local(r.appointment.start, zone_name).date() == day])
              for day in days(today, last)]
    return Dashboard(groups, inbox)


def _day_start(day: date, zone_name: str) -> datetime:
    # A few zones skip midnight on their clock-change day; 01:00 then starts the day.
    return cast(datetime, local_wall_to_utc(day, time(0), zone_name) or local_wall_to_utc(day, time(1), zone_name))


def find_inbox_item(deps: Deps, therapist: Therapist, item_id: str) -> InboxItem | None:
    return next((i for i in deps.store.inbox(therapist.id) if i.id == item_id), None)
