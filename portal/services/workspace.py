"""The therapist's edits: weekly hours and time off, session settings, clients, series booking.

Inputs arrive as plain strings (from a form or a CSV row); every problem a person can
cause comes back as FormErrors naming the field, in words written for that person.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from portal.domain.errors import DomainError, SlotTaken, ValidationError
from portal.domain.ids import new_id
from portal.domain.model import (
    Appointment, Availability, AvailabilityWindow, Channel, Client, Mode, Therapist, TimeOff, WEEKDAYS,
)
from portal.domain.risk import outside_hours
from portal.domain.slots import modes_offered_at
from portal.domain.timemath import local_wall_to_utc, to_local, zone
from portal.interfaces import Deps

NAME_MAX = 80
SERIES_MAX = 26
WINDOW_YEARS = 2  # dates a person enters: today - 2 years .. today + 2 years
START_MAX = 40  # the longest ISO 8601 start a form sends, with its offset


class FormErrors(ValidationError):
    """Several fields are wrong at once: ``fields`` maps a field (or row) to its message."""

    def __init__(self, fields: dict):
        self.fields = fields
        super().__init__(" ".join(str(m) for m in fields.values()))


# --- small parsers ---------------------------------------------------------------------------
def normalized_email(raw: str, required: bool = False) -> str:
    from email_validator import EmailNotValidError, validate_email

    raw = (raw or "").strip()
    if not raw:
        if required:
            raise ValidationError("Please enter an email address.")
        return ""
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValidationError("That doesn't look like an email address, such as name@example.com.") from None


def normalized_phone(raw: str, region: str = "US") -> str:
    """E.164 (+12025550143), or "" when left empty."""
    import phonenumbers

    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError("That doesn't look like a phone number, such as (202) 555-0143 "
                              "or +44 20 7946 0958.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_time(raw: str) -> time:
    try:
        value = time.fromisoformat((raw or "").strip())
    except ValueError:
        raise ValidationError("Use a time such as 09:00 or 17:30.") from None
    return value.replace(second=0, microsecond=0)


def parse_day(raw: str, today: date) -> date:
    try:
        day = date.fromisoformat((raw or "").strip())
    except ValueError:
        raise ValidationError("Use a date such as 2026-07-04.") from None
    return in_date_window(day, today)


def in_date_window(day: date, today: date) -> date:
    """The one rule for dates a person types: within two years either side of today."""
    try:
        first, last = (today.replace(year=today.year - WINDOW_YEARS),
                       today.replace(year=today.year + WINDOW_YEARS))
    except ValueError:  # today is 29 February
        first, last = today - timedelta(days=730), today + timedelta(days=730)
    if not first <= day <= last:
        raise ValidationError(f"Please use a date between {first:%B} {first.day}, {first.year} "
                              f"and {last:%B} {last.day}, {last.year}.")
    return day


def parse_start(raw: str, now: datetime) -> datetime:
    """A session start from a form (ISO 8601 with its offset), inside the date window."""
    from portal.domain.timemath import parse_utc

    text = (raw or "").strip()
    try:
        start = parse_utc(text) if len(text) <= START_MAX else None
    except (ValueError, OverflowError):  # year 9999 late in the day overflows to UTC
        start = None
    if start is None:
        raise ValidationError("Please pick one of the open times.")
    in_date_window(start.date(), now.date())
    return start


def parse_channels(values) -> tuple[Channel, ...]:
    try:
        return tuple(dict.fromkeys(Channel(v) for v in values))
    except ValueError:
        raise ValidationError("Pick email, text message or phone call.") from None


# --- clients ---------------------------------------------------------------------------------
def client_from_input(values: dict, therapist_id: str, client_id: str, *, current: Client | None = None) -> Client:
    """A validated Client from raw strings; FormErrors lists every field that is wrong."""
    errors = {}
    first = (values.get("first_name") or "").strip()
    last = (values.get("last_name") or "").strip()
    if not first:
        errors["first_name"] = "Please enter a first name."
    for field, text in (("first_name", first), ("last_name", last)):
        if len(text) > NAME_MAX:
            errors[field] = f"Please keep names under {NAME_MAX} characters."
    parsed = {}
    for field, parse in (("email", normalized_email), ("phone", normalized_phone),
                         ("channels", parse_channels)):
        try:
            parsed[field] = parse(values.get(field) or ("" if field != "channels" else ()))
        except ValidationError as problem:
            errors[field] = str(problem)
    try:
        zone((values.get("timezone") or "").strip())
    except ValidationError as problem:
        errors["timezone"] = str(problem)
    if not errors:
        errors.update(_channel_problems(parsed, values))
    if errors:
        raise FormErrors(errors)
    return Client(
        id=client_id, therapist_id=therapist_id, first_name=first, last_name=last,
        email=parsed["email"], phone=parsed["phone"], timezone=values["timezone"].strip(),
        channels=parsed["channels"] or (Channel.EMAIL,), sms_consent=bool(values.get("sms_consent")),
        sms_opted_out=current.sms_opted_out if current else False,
        checkins_enabled=current.checkins_enabled if current else True,
        # A bounced address stays blocked until the therapist enters a different one.
        email_blocked=bool(current and current.email_blocked and current.email == parsed["email"]),
    )


def _channel_problems(parsed: dict, values: dict) -> dict:
    channels = parsed["channels"] or (Channel.EMAIL,)
    if Channel.EMAIL in channels and not parsed["email"]:
        return {"email": "Reminders by email need an email address."}
    if (Channel.SMS in channels or Channel.VOICE in channels) and not parsed["phone"]:
        return {"phone": "Texts and calls need a phone number."}
    if Channel.SMS in channels and not values.get("sms_consent"):
        return {"sms_consent": "Texts need the client's consent: tick the box, or leave texts off."}
    return {}


def add_client(deps: Deps, therapist: Therapist, values: dict, client_id: str | None = None) -> Client:
    client = client_from_input(values, therapist.id, client_id or new_id(8))
    deps.store.add_client(client)
    return client


def update_client(deps: Deps, current: Client, values: dict) -> Client:
    client = client_from_input(values, current.therapist_id, current.id, current=current)
    deps.store.update_client(client)
    return client


# --- availability ----------------------------------------------------------------------------
def parse_windows(rows: list[dict]) -> tuple[list[AvailabilityWindow], dict[int, str]]:
    """Rows of weekday/start/end/modes; blank or removed rows are dropped. Errors by row."""
    windows, errors, kept_rows = [], {}, []
    for n, row in enumerate(rows):
        if row.get("remove") or not any((row.get("start"), row.get("end"))):
            continue
        try:
            weekday = int(row.get("weekday") or "")  # a row without a day is the person's to fix
            modes = frozenset(Mode(m) for m in row.get("modes") or ())
            window = AvailabilityWindow(weekday, parse_time(row.get("start")),
                                        parse_time(row.get("end")), modes)
        except (ValueError, TypeError, DomainError) as problem:
            errors[n] = _row_message(problem)
            continue
        windows.append(window)
        kept_rows.append(n)
    for i, (a, row_a) in enumerate(zip(windows, kept_rows)):
        for b, row_b in zip(windows[i + 1:], kept_rows[i + 1:]):
            if a.overlaps(b):
                errors.setdefault(row_b, f"Overlaps {WEEKDAYS[a.weekday]} "
                                         f"{a.start:%H:%M}-{a.end:%H:%M}. Please adjust one of them.")
    return windows, errors


def _row_message(problem) -> str:
    if isinstance(problem, DomainError):
        return str(problem)
    return "Pick a day, a start and an end time, and at least one way to meet."


def parse_time_off(rows: list[dict], today: date) -> tuple[list[TimeOff], dict[int, str]]:
    found, errors = [], {}
    for n, row in enumerate(rows):
        if row.get("remove") or not any((row.get("first_day"), row.get("last_day"))):
            continue
        try:
            first = parse_day(row.get("first_day"), today)
            last = parse_day(row.get("last_day") or row.get("first_day"), today)
            found.append(TimeOff(first, last, (row.get("reason") or "").strip()[:80]))
        except ValidationError as problem:
            errors[n] = str(problem)
    return found, errors


def session_settings(therapist: Therapist, session_minutes: str, buffer_minutes: str) -> Therapist:
    errors, values = {}, {}
    for field, raw in (("session_minutes", session_minutes), ("buffer_minutes", buffer_minutes)):
        try:
            values[field] = int(raw)
            replace(therapist, **{field: values[field]})  # the model checks the range
        except ValidationError as problem:
            errors[field] = str(problem)
        except ValueError:
            errors[field] = "Please enter a number of minutes."
    if errors:
        raise FormErrors(errors)
    return replace(therapist, **values)


def save_availability(deps: Deps, therapist: Therapist, availability: Availability,
                      updated: Therapist) -> Availability:
    """Version-guarded: a stale form raises StaleVersion and changes nothing."""
    stored = deps.store.save_availability(therapist.id, availability)
    if (updated.session_minutes, updated.buffer_minutes) != (therapist.session_minutes,
                                                             therapist.buffer_minutes):
        deps.store.update_therapist(updated)
    return stored


OUTSIDE_HOURS_DAYS = 120


def sessions_outside_hours(deps: Deps, therapist: Therapist, availability: Availability,
                           ahead: list[Appointment] | None = None) -> list[Appointment]:
    """Booked sessions ahead that the current hours no longer cover: kept, never moved.

    ``ahead`` may be the calendar the caller already read (from now, 120 days on)."""
    now = deps.clock.now()
    if ahead is None:
        ahead = deps.store.therapist_appointments(therapist.id, now, now + timedelta(days=OUTSIDE_HOURS_DAYS))
    return [a for a in ahead if a.start > now and outside_hours(a, availability, therapist)]


# --- series booking --------------------------------------------------------------------------
@dataclass(frozen=True)
class SeriesResult:
    day: date
    start: datetime | None
    booked: Appointment | None = None
    problem: str = ""


def book_series(deps: Deps, therapist: Therapist, client: Client, first_start: datetime,
                every_weeks: int, count: int, mode: Mode, *, actor: str, location: str = "",
                availability: Availability | None = None) -> list[SeriesResult]:
    """Book up to ``count`` sessions at the same local time, each in its own transaction.

    A date whose time is taken, falls on time off or outside the weekly hours is reported
    and skipped; the others are booked.
    """
    from portal.services.booking import book_appointment

    if every_weeks not in (1, 2):
        raise ValidationError("Pick weekly or every two weeks.")
    if not 1 <= count <= SERIES_MAX:
        raise ValidationError(f"A series can hold 1 to {SERIES_MAX} sessions.")
    now = deps.clock.now()
    if first_start <= now:
        raise ValidationError("The first session must be in the future.")
    in_date_window(first_start.date(), now.date())
    availability = availability or deps.store.get_availability(therapist.id)
    local = to_local(first_start, therapist.timezone)
    results = []
    for n in range(count):
        day = local.date() + timedelta(weeks=n * every_weeks)
        start = local_wall_to_utc(day, local.time(), therapist.timezone)
        results.append(_book_one(deps, therapist, client, availability, day, start, mode,
                                 actor, location, book_appointment))
    return results


def _book_one(deps, therapist, client, availability, day, start, mode, actor, location, book):
    if start is None:
        return SeriesResult(day, None, problem="The clocks change at that time on this day.")
    probe = Appointment("probe", therapist.id, client.id, start,
                        start + timedelta(minutes=therapist.session_minutes), mode)
    if any(off.covers(day) for off in availability.time_off):
        return SeriesResult(day, start, problem="You are off that day.")
    if outside_hours(probe, availability, therapist):
        return SeriesResult(day, start, problem="Outside your weekly hours.")
    if mode not in modes_offered_at(availability, therapist, start):
        return SeriesResult(day, start, problem=f"Not offered {mode.label} at that time.")
    try:
        booked = book(deps, therapist, client, start, mode, actor=actor, via="workspace",
                      location=location, require_open_slot=False)
    except SlotTaken:
        return SeriesResult(day, start, problem="That time is already taken.")
    except DomainError as problem:
        return SeriesResult(day, start, problem=str(problem))
    return SeriesResult(day, start, booked=booked)
