"""Open times as a client sees them: the therapist's open slots, less this session's own time,
grouped by the client's days a page at a time, and the compact value a time button posts.

The slot pages (reschedule, book again) and the help offered after a cancel read their
times here; every open-slots read goes through ``booking.reschedule_options``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from portal.domain import wording
from portal.domain.errors import ValidationError
from portal.domain.model import Mode
from portal.domain.slots import Slot, open_slots
from portal.domain.timemath import is_evening, is_weekend, to_local
from portal.interfaces import AppointmentContext, Deps
from portal.services import booking

SLOTS_PER_PAGE = 60  # keeps a page of times well under 30 KB however open the calendar is


def bookable_times(ctx: AppointmentContext, now: datetime, mode: Mode | None = None) -> list[Slot]:
    """The therapist's grid of times (windows, time off, notice, horizon) without reading the
    calendar: a change claims its time cells in its transaction, which refuses a taken time."""
    return open_slots(ctx.therapist, ctx.availability, [], ctx.settings, now,
                      ignore_appointment_id=ctx.appointment.id, mode=mode)


def free_times(deps: Deps, ctx: AppointmentContext, mode: Mode | None = None) -> list[Slot]:
    """Open slots over the booking horizon (one Query of the therapist's calendar), less the
    time this session already has."""
    slots = booking.reschedule_options(deps, ctx, mode=mode)
    if ctx.appointment.status.is_open:
        slots = [s for s in slots if s.start != ctx.appointment.start]
    return slots


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


def _tags(slot: Slot, zone_name: str, preferred: Mode) -> tuple[str, ...]:
    tags = slot.labels(zone_name)
    if preferred not in slot.modes and len(slot.modes) == 1:
        tags.append("Video only" if Mode.TELE in slot.modes else "In person only")
    return tuple(tags)


def group_by_day(slots: list[Slot], zone_name: str, preferred: Mode, *,
                 from_day: date | None = None, limit: int = SLOTS_PER_PAGE) -> SlotPage:
    """Slots grouped by the client's calendar day; whole days only, about ``limit`` per page."""
    days: list[SlotDay] = []
    current, label, count = [], None, 0
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
                                  _tags(slot, zone_name, preferred)))
        count += 1
    if current:
        days.append(SlotDay(label, tuple(current)))
    return SlotPage(days, None, count)
