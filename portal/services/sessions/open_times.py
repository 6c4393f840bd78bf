"""Open times as a client sees them: the therapist's open slots, less this session's own time,
grouped by the client's days a page at a time, and the compact value a time button posts.

The slot pages (reschedule, book again) and the help offered after a cancel read their
times here; every open-slots read goes through ``booking.reschedule_options``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from portal.domain import wording
from portal.domain.errors import SlotUnavailable, ValidationError
from portal.domain.model import Appointment, Mode, Status
from portal.domain.slots import Slot, clear_of, open_slots
from portal.domain.time_filters import FILTERS, fits_usual, matches, tag_named_by, usual_time
from portal.domain.timemath import is_evening, is_weekend, to_local
from portal.interfaces import AppointmentContext, Deps
from portal.services.sessions import booking

SLOTS_PER_PAGE = 60  # keeps a page of times well under 30 KB however open the calendar is


def bookable_times(ctx: AppointmentContext, now: datetime, mode: Mode | None = None) -> list[Slot]:
    """The therapist's grid of times (windows, time off, notice, horizon) without reading the
    calendar: a change claims its time cells in its transaction, which refuses a taken time."""
    return open_slots(ctx.therapist, ctx.availability, [], ctx.settings, now,
                      ignore_appointment_id=ctx.appointment.id, mode=mode)


def free_times(deps: Deps, ctx: AppointmentContext, mode: Mode | None = None,
               others: list[Appointment] | None = None) -> list[Slot]:
    """Open slots over the booking horizon (one Query of the therapist's calendar), less the
    time this session already has and any time that overlaps or nearly touches the client's
    other sessions (``others``: read here, one Query, unless the caller has them)."""
    slots = booking.reschedule_options(deps, ctx, mode=mode)
    if ctx.appointment.status.is_open:
        slots = [s for s in slots if s.start != ctx.appointment.start]
    others = other_sessions(deps, ctx) if others is None else others
    gap = timedelta(minutes=ctx.therapist.buffer_minutes)
    return [s for s in slots if clear_of(s, others, gap)]


CLASH = "That time is too close to another of your sessions. Here are the times that are open."


def require_clear_of_other_sessions(deps: Deps, ctx: AppointmentContext, slot: Slot,
                                    also_ignore: str = "") -> None:
    """Refuse, as kindly as a taken time, a time the picker leaves out because it overlaps or
    nearly touches another of the client's sessions (with any therapist): one Query of the
    client's calendar around it. A check before the transaction, not a claim in it: the table
    has no per-client time cell, so two of the client's own links tapped in the same instant
    could still both pass. ``also_ignore``: a session this very request may already have made."""
    around = timedelta(days=1)
    found = deps.store.client_appointments(ctx.client.id, slot.start - around, slot.end + around)
    others = [a for a in found if a.status.is_open and a.id not in (ctx.appointment.id, also_ignore)]
    if not clear_of(slot, others, timedelta(minutes=ctx.therapist.buffer_minutes)):
        raise SlotUnavailable(CLASH)


PAST = timedelta(days=180)  # how far back the client's usual weekday and time is read
FIRST_PAGE = 12  # about two phone screens of times, then "Later times"
SUGGESTED = 3
KEPT = frozenset({Status.SCHEDULED, Status.CONFIRMED, Status.ATTENDED})


def client_sessions(deps: Deps, ctx: AppointmentContext) -> tuple[list[Appointment], list[Appointment]]:
    """(past sessions kept, other upcoming sessions) of the client: one Query of their calendar."""
    now = deps.clock.now()
    horizon = now + timedelta(days=ctx.settings.booking_horizon_days + 1)
    found = deps.store.client_appointments(ctx.client.id, now - PAST, horizon)
    past = [a for a in found if a.start <= now and a.status in KEPT]
    upcoming = [a for a in found if a.end > now and a.id != ctx.appointment.id and a.status.is_open]
    return past, upcoming


def other_sessions(deps: Deps, ctx: AppointmentContext) -> list[Appointment]:
    return client_sessions(deps, ctx)[1]


@dataclass(frozen=True)
class Picker:
    """What a times page shows: suggestions, a page of times (filtered), the client's other sessions."""

    suggested: list[SlotChoice]
    listing: "SlotPage"
    others: list[str]  # "Tuesday, March 10 at 5:00 PM"
    kinds: list[str]  # the filters that have times: no link to an empty list


def picker(deps: Deps, ctx: AppointmentContext, mode: Mode | None, only: str,
           from_day: date | None) -> Picker:
    """The time picker (two Queries): up to 3 times like the client's usual ones at the top on
    the first view, then a short page of times, filtered, clear of their other sessions."""
    zone_name, preferred = ctx.client.timezone, mode or ctx.appointment.mode
    past, others = client_sessions(deps, ctx)
    slots = free_times(deps, ctx, mode, others)
    first_view = not only and from_day is None
    suggested = []
    if first_view:
        usual = usual_time([a.start for a in past] or [ctx.appointment.start], zone_name)
        suggested = [SlotChoice(slot_value(s.start), wording.when(s.start, zone_name),
                                _tags(s, zone_name, preferred))
                     for s in slots if fits_usual(s.start, usual, zone_name)][:SUGGESTED]
    chosen = [s for s in slots if matches(s.start, only, zone_name)]
    listing = group_by_day(chosen, zone_name, preferred, from_day=from_day, limit=FIRST_PAGE,
                           hide_tag=tag_named_by(only))
    kinds = [kind for kind in FILTERS if any(matches(s.start, kind, zone_name) for s in slots)]
    return Picker(suggested, listing, [wording.when(a.start, zone_name) for a in others], kinds)


def evening_or_weekend(slots: list[Slot], zone_name: str) -> list[Slot]:
    return [s for s in slots if is_evening(s.start, zone_name) or is_weekend(s.start, zone_name)]


@dataclass(frozen=True)
class SlotChoice:
    value: str  # what the form posts: the UTC start, compact
    time: str  # "5:00 PM", in the client's zone
    tags: tuple[str, ...]  # "Evening", "Weekend", "Video only", "In person only"


@dataclass(frozen=True)
class SlotDay:
    label: str  # "Tuesday, March 3"
    choices: tuple[SlotChoice, ...]


@dataclass(frozen=True)
class SlotPage:
    days: list[SlotDay] = field(default_factory=list)
    next_from: date | None = None  # where the next page starts, in the client's zone
    count: int = 0


def slot_value(start: datetime) -> str:
    return start.astimezone(timezone.utc).strftime("%Y%m%dT%H%MZ")


def parse_slot_value(text: str) -> datetime:
    try:
        return datetime.strptime((text or "").strip(), "%Y%m%dT%H%MZ").replace(tzinfo=timezone.utc)
    except ValueError:
        raise ValidationError("Please pick one of the times shown.") from None


def _tags(slot: Slot, zone_name: str, preferred: Mode, hide_tag: str = "") -> tuple[str, ...]:
    tags = [tag for tag in slot.labels(zone_name) if tag != hide_tag]
    if preferred not in slot.modes and len(slot.modes) == 1:
        tags.append("Video only" if Mode.TELE in slot.modes else "In person only")
    return tuple(tags)


def group_by_day(slots: list[Slot], zone_name: str, preferred: Mode, *,
                 from_day: date | None = None, limit: int = SLOTS_PER_PAGE,
                 hide_tag: str = "") -> SlotPage:
    """Slots grouped by the client's calendar day; whole days only, about ``limit`` per page."""
    days: list[SlotDay] = []
    current: list[SlotChoice] = []
    label, count = "", 0  # every slot has a day label, so the first one starts a day
    for slot in slots:
        local_day = to_local(slot.start, zone_name).date()
        if from_day and local_day < from_day:
            continue
        this_label = wording.day(slot.start, zone_name)
        if this_label != label:
            if current:
                days.append(SlotDay(label, tuple(current)))
            if count >= limit:
                return SlotPage(days, local_day, count)
            current, label = [], this_label
        current.append(SlotChoice(slot_value(slot.start), wording.clock(slot.start, zone_name),
                                  _tags(slot, zone_name, preferred, hide_tag)))
        count += 1
    if current:
        days.append(SlotDay(label, tuple(current)))
    return SlotPage(days, None, count)
