"""Attendance figures: attended, late-cancel and no-show rates, when sessions are missed,
what gets in the way, and how often a reminder brought the confirmation.

Reads one calendar Query and one inbox Query per therapist (no Scan), over the last 90 days.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from portal.domain.model import WEEKDAYS, Appointment, Barrier, InboxItem, Status, Therapist
from portal.domain.timemath import to_local
from portal.domain.wording import wall_clock
from portal.interfaces import Deps

PERIODS = (30, 90)
REMINDER_CHANNELS = ("link", "sms")  # confirmed from a reminder's link or an SMS reply
MISSED = (Status.NO_SHOW, Status.LATE_CANCELLED)


@dataclass
class Rates:
    """Sessions whose time fell in the period. "Due" = attended + missed + cancelled late;
    cancellations made in good time are left out: the slot could be offered again."""

    counts: Counter = field(default_factory=Counter)
    from_reminder: int = 0

    def add(self, appointment: Appointment) -> None:
        self.counts[appointment.status] += 1
        if appointment.status is not Status.CANCELLED and appointment.confirmed_via in REMINDER_CHANNELS:
            self.from_reminder += 1

    @property
    def due(self) -> int:
        return sum(self.counts[s] for s in (Status.ATTENDED, *MISSED))

    @property
    def unmarked(self) -> int:
        """Past sessions nobody has marked attended or missed yet."""
        return self.counts[Status.SCHEDULED] + self.counts[Status.CONFIRMED]

    @property
    def kept_to_time(self) -> int:
        """Sessions that have happened: due, plus those not marked yet (the reminder share's base)."""
        return self.due + self.unmarked

    def rate(self, status: Status) -> float | None:
        return self.counts[status] / self.due if self.due else None

    @property
    def reminder_share(self) -> float | None:
        return self.from_reminder / self.kept_to_time if self.kept_to_time else None


@dataclass
class Bucket:
    label: str
    due: int = 0
    missed: int = 0

    @property
    def missed_rate(self) -> float | None:
        return self.missed / self.due if self.due else None


@dataclass
class Figures:
    practice: dict[int, Rates]
    therapists: list[tuple[Therapist, dict[int, Rates]]]
    by_weekday: list[Bucket]
    by_hour: list[Bucket]
    barriers: list[tuple[Barrier, int]]
    zone_name: str


def _rates_by_period(appointments: list[Appointment], now: datetime) -> dict[int, Rates]:
    out = {days: Rates() for days in PERIODS}
    for a in appointments:
        for days, rates in out.items():
            if now - timedelta(days=days) <= a.start < now:
                rates.add(a)
    return out


def _buckets(appointments: list[Appointment], zone_name: str) -> tuple[list[Bucket], list[Bucket]]:
    weekdays = [Bucket(name) for name in WEEKDAYS]
    hours: dict[int, Bucket] = {}
    for a in appointments:
        if a.status not in (Status.ATTENDED, *MISSED):
            continue
        local = to_local(a.start, zone_name)
        hour = hours.setdefault(local.hour, Bucket(wall_clock(time(local.hour), compact=True)))
        for bucket in (weekdays[local.weekday()], hour):
            bucket.due += 1
            bucket.missed += a.status in MISSED
    return [b for b in weekdays if b.due], [hours[h] for h in sorted(hours)]


def _barriers(appointments: list[Appointment], inbox: list[InboxItem]) -> list[tuple[Barrier, int]]:
    """Each (session, barrier) once, whether it came with a cancellation or a message."""
    seen = {(a.id, a.barrier) for a in appointments if a.barrier}
    seen |= {(i.appointment_id or f"inbox:{i.id}", i.barrier) for i in inbox if i.barrier}
    counts = Counter(barrier for _, barrier in seen)
    return [(b, counts[b]) for b in Barrier if counts[b]]


def attendance_figures(deps: Deps, viewer: Therapist) -> Figures:
    """Practice-wide figures, and per therapist: everyone for an admin, oneself otherwise."""
    store, now = deps.store, deps.clock.now()
    since = now - timedelta(days=max(PERIODS))
    everyone = store.list_therapists()
    calendars, inboxes = {}, []
    for t in everyone:
        calendars[t.id] = [a for a in store.therapist_appointments(t.id, since, now) if a.start < now]
        inboxes += [i for i in store.inbox(t.id, limit=500) if i.at >= since]
    every_appointment = [a for items in calendars.values() for a in items]
    shown = everyone if viewer.is_admin else [t for t in everyone if t.id == viewer.id]
    zone_name = store.get_settings().timezone
    by_weekday, by_hour = _buckets(every_appointment, zone_name)
    return Figures(
        practice=_rates_by_period(every_appointment, now),
        therapists=[(t, _rates_by_period(calendars[t.id], now)) for t in shown],
        by_weekday=by_weekday, by_hour=by_hour,
        barriers=_barriers(every_appointment, inboxes), zone_name=zone_name,
    )


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _cell(text: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: keep names plain text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def figures_csv(figures: Figures) -> str:
    """One tidy table: section, scope, period_days, measure, value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["section", "scope", "period_days", "measure", "value"])
    scopes = [("Practice", figures.practice)] + [(_cell(t.name), r) for t, r in figures.therapists]
    for scope, by_period in scopes:
        for days, rates in by_period.items():
            for measure, value in (
                ("sessions_due", rates.due), ("attended", rates.counts[Status.ATTENDED]),
                ("late_cancelled", rates.counts[Status.LATE_CANCELLED]),
                ("no_show", rates.counts[Status.NO_SHOW]), ("not_yet_marked", rates.unmarked),
                ("attended_rate", _pct(rates.rate(Status.ATTENDED))),
                ("late_cancel_rate", _pct(rates.rate(Status.LATE_CANCELLED))),
                ("no_show_rate", _pct(rates.rate(Status.NO_SHOW))),
                ("confirmed_from_reminder_share", _pct(rates.reminder_share)),
            ):
                writer.writerow(["attendance", scope, days, measure, value])
    for section, buckets in (("weekday", figures.by_weekday), ("hour", figures.by_hour)):
        for b in buckets:
            writer.writerow([section, "Practice", 90, f"{b.label} sessions_due", b.due])
            writer.writerow([section, "Practice", 90, f"{b.label} missed_rate", _pct(b.missed_rate)])
    for barrier, count in figures.barriers:
        writer.writerow(["barrier", "Practice", 90, barrier.value, count])
    return out.getvalue()
