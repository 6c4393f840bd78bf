"""The practice's closed days: public holidays of its country and state, ticked by default,
plus its own dates. Saved as the dates they come to, so open times never need the package.

The ``holidays`` package is imported only inside ``public_holidays`` (the settings page and a
save call it): it loads every country's calendar rules, which a booking request or a scheduled
run should not pay for at a cold start.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from portal.domain.audit import Actor, AuditEvent
from portal.domain.errors import ValidationError
from portal.domain.model import CLOSED_DAYS_MAX, Appointment, PracticeSettings, Therapist
from portal.domain.slots import closed_on
from portal.domain.timemath import to_local
from portal.interfaces import Deps

YEARS_AHEAD = 2  # closed dates are stored for this year and the next
LISTED_DAYS = 365  # the settings page lists the holidays of the coming year
DATE_SPLIT = re.compile(r"[\n,;]+")


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    closed: bool


@dataclass(frozen=True)
class ClosedDaySession:
    appointment: Appointment
    therapist: Therapist


def public_holidays(country: str, state: str, years) -> dict[date, str]:
    """Every public holiday of these years; ValidationError for a country or state it lacks."""
    import holidays  # here only: a heavy import, kept off request paths and scheduled runs

    try:
        found = holidays.country_holidays(country, subdiv=state or None, years=list(years))
    except NotImplementedError:
        raise ValidationError("Please pick a country and state from the list.") from None
    return dict(found.items())


def countries() -> dict[str, list[str]]:
    """Country codes and their states (subdivisions), for the settings page's lists."""
    import holidays  # the settings page only

    return {code: list(states) for code, states in sorted(holidays.list_supported_countries().items())
            if len(code) == 2}  # each country is listed under its 3-letter code too


def upcoming_holidays(settings: PracticeSettings, today: date) -> list[Holiday]:
    """The coming year's public holidays, each ticked unless the practice keeps it open."""
    found = public_holidays(settings.holiday_country, settings.holiday_state, (today.year, today.year + 1))
    last = today + timedelta(days=LISTED_DAYS)
    return [Holiday(day, name, name not in settings.holidays_open)
            for day, name in sorted(found.items()) if today <= day <= last]


def parse_own_dates(raw: str, today: date) -> tuple[date, ...]:
    """One date a line or comma-separated, as 2026-12-24 or 12/24/2026."""
    found = set()
    for piece in (p.strip() for p in DATE_SPLIT.split(raw or "")):
        if not piece:
            continue
        day = _one_date(piece)
        if day is None:
            raise ValidationError(f"“{piece[:30]}” isn't a date we can read. "
                                  "Please write it as 2026-12-24 or 12/24/2026.")
        if not today - timedelta(days=366) <= day <= today + timedelta(days=366 * YEARS_AHEAD):
            raise ValidationError(f"{day:%B %-d, %Y} is too far away. Please give dates within two years.")
        found.add(day)
    if len(found) > CLOSED_DAYS_MAX // 2:
        raise ValidationError(f"At most {CLOSED_DAYS_MAX // 2} dates of your own, please.")
    return tuple(sorted(found))


def _one_date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def closed_dates(settings: PracticeSettings, today: date) -> tuple[date, ...]:
    """What the choices come to from today: ticked holidays of two years, and the own dates."""
    years = range(today.year, today.year + YEARS_AHEAD)
    found = public_holidays(settings.holiday_country, settings.holiday_state, years)
    closed = {day for day, name in found.items() if name not in settings.holidays_open and day >= today}
    closed.update(day for day in settings.own_closed_days if day >= today)
    return tuple(sorted(closed))


def change_closed_days(deps: Deps, admin: Therapist, country: str, state: str, listed: list[str],
                       ticked: list[str], own: str, version: int) -> PracticeSettings:
    """The admin's choices, saved with the dates they come to (StaleVersion if someone saved
    since). A listed holiday left unticked stays open; one not listed (a new country) closes."""
    current = deps.store.get_settings()
    today = to_local(deps.clock.now(), current.timezone).date()
    country, state = (country or "US").strip().upper(), (state or "").strip().upper()
    public_holidays(country, state, (today.year,))  # refuses an unknown country or state
    kept_open = set(current.holidays_open) - set(listed) | (set(listed) - set(ticked))
    chosen = replace(current, holiday_country=country, holiday_state=state,
                     holidays_open=tuple(sorted(kept_open)), own_closed_days=parse_own_dates(own, today),
                     version=version)
    saved = deps.store.save_settings(replace(chosen, closed_days=closed_dates(chosen, today)))
    _audit(deps, admin, current, saved)
    return saved


def _audit(deps: Deps, admin: Therapist, before: PracticeSettings, after: PracticeSettings) -> None:
    added = sorted(set(after.closed_days) - set(before.closed_days))
    removed = sorted(set(before.closed_days) - set(after.closed_days))
    actor = Actor.therapist(admin.id)
    deps.store.record_therapist_event(admin.id, AuditEvent(
        "", deps.clock.now(), actor.label, "closed days changed", actor.via,
        {"country": after.holiday_country, "state": after.holiday_state,
         "closed": [d.isoformat() for d in added], "opened": [d.isoformat() for d in removed]}))


def booked_on_closed_days(deps: Deps, settings: PracticeSettings) -> list[ClosedDaySession]:
    """Open sessions ahead on a closed day, for their therapist to move: never cancelled here.
    One Query per active therapist, up to the last closed day."""
    now = deps.clock.now()
    ahead = [d for d in settings.closed_days if d >= now.date() - timedelta(days=1)]
    if not ahead:
        return []
    until = datetime.combine(ahead[-1] + timedelta(days=2), datetime.min.time(), tzinfo=now.tzinfo)
    found = []
    for therapist in deps.store.list_therapists():
        calendar = deps.store.therapist_appointments(therapist.id, now, until)
        found += [ClosedDaySession(a, therapist) for a in on_closed_days(calendar, settings, therapist, now)]
    return sorted(found, key=lambda s: s.appointment.start)


def on_closed_days(calendar: list[Appointment], settings: PracticeSettings, therapist: Therapist,
                   now: datetime) -> list[Appointment]:
    """The open sessions of this calendar still ahead on a day the practice is closed."""
    return [a for a in calendar if a.status.is_open and a.start > now
            and closed_on(settings, a.start, therapist.timezone)]
