"""What a client's link can do, beyond booking.py: open it, say what applies now, offer
help for what got in the way, and tell everyone after each change.

Every change still goes through ``portal.services.booking`` (one rule, one place);
this module adds what the client's pages need around it, within a small budget of
DynamoDB calls: opening a page is one BatchGetItem, a change is that read plus one
transaction (the slot claims in the transaction settle who gets a time).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from portal.domain import wording
from portal.domain.errors import SlotTaken, SlotUnavailable, ValidationError
from portal.domain.ids import new_id
from portal.domain.model import Actor, Appointment, Barrier, InboxItem, Mode, Status
from portal.domain.slots import Slot, find_slot, open_slots
from portal.domain.timemath import is_evening, is_weekend, to_local
from portal.interfaces import AppointmentContext, Deps
from portal.services import booking, notify
from portal.services.link_context import LinkNotFound, open_context  # noqa: F401 - LinkNotFound is part of this API

REBOOKABLE = frozenset({Status.CANCELLED, Status.LATE_CANCELLED, Status.NO_SHOW})
SLOTS_PER_PAGE = 60  # keeps a page of times well under 30 KB however open the calendar is
OFFERED_SLOTS = 8


def open_link(deps: Deps, token: str) -> AppointmentContext:
    """One BatchGetItem. Raises LinkInvalid, LinkExpired or LinkNotFound."""
    return open_context(deps, token)


# --- what applies now -----------------------------------------------------------------------
@dataclass(frozen=True)
class Choices:
    upcoming: bool  # the session has not started
    can_confirm: bool
    can_change: bool  # reschedule, switch mode, cancel
    switch_to: Mode | None  # the other mode, where the therapist offers it at that time
    late_cancel: bool  # cancelling now counts as late under the practice's policy
    can_rebook: bool


def choices(ctx: AppointmentContext, now: datetime) -> Choices:
    appointment = ctx.appointment
    upcoming = appointment.start > now
    can_change = appointment.status.is_open and upcoming
    other = Mode.IN_PERSON if appointment.mode is Mode.TELE else Mode.TELE
    switch_to = other if can_change and other in booking.modes_available(ctx) else None
    return Choices(
        upcoming=upcoming,
        can_confirm=can_change and appointment.status is Status.SCHEDULED,
        can_change=can_change,
        switch_to=switch_to,
        late_cancel=can_change and booking.is_late_cancel(ctx, now),
        can_rebook=appointment.status in REBOOKABLE,
    )


# --- open times, as the client sees them ----------------------------------------------------
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


# --- help for what got in the way -----------------------------------------------------------
@dataclass(frozen=True)
class Offer:
    barrier: Barrier | None
    heading: str
    message: str
    video_switch: bool = False  # offer this session by video
    keep: bool = False  # offer to keep the session as it is
    reschedule: bool = False  # point to all open times
    slots: list[Slot] = field(default_factory=list)  # a few times that answer the barrier
    slots_mode: Mode | None = None  # the mode those times would be booked in
    resources: str = ""  # the practice's text: cost help or crisis lines
    resources_heading: str = ""


def offer_for(deps: Deps, ctx: AppointmentContext, barrier: Barrier | None) -> Offer:
    """What might keep this session, for the barrier the client named (read once if times help)."""
    video_possible = choices(ctx, deps.clock.now()).switch_to is Mode.TELE
    return _OFFERS.get(barrier, _other)(deps, ctx, barrier, video_possible)


def _transport(deps, ctx, barrier, video_possible) -> Offer:
    therapist = ctx.therapist.name
    if ctx.appointment.mode is Mode.TELE:
        return Offer(barrier, "No travel needed",
                     "This session is already by video, so you can join from home or "
                     "anywhere quiet. The join link is on your session page.", keep=True)
    if video_possible:
        return Offer(barrier, "You could join by video instead",
                     f"{therapist} can see you by video at the same time, so there is "
                     "nothing to travel to. One tap switches this session.", video_switch=True)
    return Offer(barrier, "Video times that could work",
                 f"{therapist} doesn't offer video at this time, but these times are by video:",
                 slots=free_times(deps, ctx, Mode.TELE)[:OFFERED_SLOTS], slots_mode=Mode.TELE,
                 reschedule=True)


def _schedule(deps, ctx, barrier, video_possible) -> Offer:
    therapist = ctx.therapist.name
    later = evening_or_weekend(free_times(deps, ctx), ctx.client.timezone)[:OFFERED_SLOTS]
    text = (f"{therapist} has evening and weekend times. Pick one and your session moves there."
            if later else f"Another time might suit you better. Here are all of {therapist}'s open times.")
    return Offer(barrier, "Let's find a time that fits", text, slots=later, reschedule=True,
                 video_switch=video_possible)


def _cost(deps, ctx, barrier, video_possible) -> Offer:
    return Offer(barrier, "Cost shouldn't stand in your way", "You don't have to sort this out alone.",
                 keep=True, resources=ctx.settings.cost_text, resources_heading="Help with cost")


def _anxiety(deps, ctx, barrier, video_possible) -> Offer:
    video = " If it feels easier, you could join by video from home." if video_possible else ""
    return Offer(barrier, "It's okay to feel this way",
                 "Many people feel anxious or unsure before a session. You don't need to prepare "
                 f"anything: you can start by telling {ctx.therapist.name} how you feel, and go at "
                 f"your own pace.{video}", keep=True, video_switch=video_possible)


def _illness(deps, ctx, barrier, video_possible) -> Offer:
    choice = ("this session could be by video from home, or you can pick another time"
              if video_possible else "you can pick another time")
    return Offer(barrier, "We're sorry you're not feeling well",
                 f"Please look after yourself. If you feel up to talking, {choice}.",
                 video_switch=video_possible, reschedule=True,
                 resources=ctx.settings.crisis_text, resources_heading="If you need help now")


def _other(deps, ctx, barrier, video_possible) -> Offer:
    change = "another time or joining by video" if video_possible else "another time"
    return Offer(barrier, "Before you go",
                 f"If {change} would help, you can change your session instead.",
                 video_switch=video_possible, reschedule=True)


_OFFERS = {Barrier.TRANSPORT: _transport, Barrier.SCHEDULE: _schedule, Barrier.COST: _cost,
           Barrier.ANXIETY: _anxiety, Barrier.ILLNESS: _illness}


# --- changes: each commits through booking, then tells the people it concerns ---------------
def _require_upcoming(deps: Deps, ctx: AppointmentContext):
    if ctx.appointment.start <= deps.clock.now():
        raise ValidationError("This session has already started, so it can't be changed here. "
                              "Please call the practice.")


def confirm(deps: Deps, ctx: AppointmentContext, version: int) -> Appointment | None:
    """None when it was already confirmed: nothing written, nothing sent."""
    _require_upcoming(deps, ctx)
    after = booking.confirm(deps, ctx, version, actor=Actor.client("link"))
    if after is not None:
        notify.send_change(deps, "confirmed", after, ctx.client, ctx.therapist, ctx.settings)
    return after


def reschedule(deps: Deps, ctx: AppointmentContext, start: datetime, version: int,
               mode: Mode | None = None) -> Appointment:
    _require_upcoming(deps, ctx)
    slots = bookable_times(ctx, deps.clock.now())
    after = booking.reschedule(deps, ctx, start, version, actor=Actor.client("link"),
                               mode=mode or ctx.appointment.mode, slots=slots)
    notify.send_change(deps, "rescheduled", after, ctx.client, ctx.therapist, ctx.settings)
    return after


def switch_mode(deps: Deps, ctx: AppointmentContext, mode: Mode, version: int) -> Appointment:
    _require_upcoming(deps, ctx)
    after = booking.switch_mode(deps, ctx, mode, version, actor=Actor.client("link"))
    if after.version != ctx.appointment.version:
        notify.send_change(deps, "mode", after, ctx.client, ctx.therapist, ctx.settings)
    return after


def cancel(deps: Deps, ctx: AppointmentContext, version: int, barrier: Barrier | None = None,
           note: str = "") -> Appointment:
    """Cancel, keeping what the client told us: on the session and, in the same
    transaction, in the therapist's inbox. Then the client and the therapist hear of it."""
    note = (note or "").strip()
    extra = []
    if barrier or note:
        extra.append(deps.store.inbox_record(InboxItem(
            therapist_id=ctx.therapist.id, at=deps.clock.now(),
            kind="barrier" if barrier else "note", client_id=ctx.client.id,
            appointment_id=ctx.appointment.id, barrier=barrier, text=note, id=new_id())))
    after = booking.cancel(deps, ctx, version, barrier=barrier, note=note, actor=Actor.client("link"), extra=extra)
    notify.send_change(deps, "cancelled", after, ctx.client, ctx.therapist, ctx.settings)
    notify.notify_therapist_of_cancel(deps, after, ctx.client, ctx.therapist, ctx.settings)
    return after


def rebook_id(source_id: str) -> str:
    """The new session's id follows from the one it replaces, so a double tap books once."""
    return hashlib.sha256(f"rebook:{source_id}".encode()).hexdigest()[:10]


def rebook(deps: Deps, ctx: AppointmentContext, start: datetime,
           mode: Mode | None = None) -> tuple[Appointment, bool]:
    """Book a new session with the same therapist after a cancel or a missed one.

    Returns (appointment, created); a repeat of the same request returns the session it made.
    """
    if ctx.appointment.status not in REBOOKABLE:
        raise ValidationError("This session is still on the calendar: you can change its time instead.")
    slot = find_slot(bookable_times(ctx, deps.clock.now()), start)
    if slot is None:
        raise SlotUnavailable("That time is no longer open. Here are the times that are.")
    preferred = mode or ctx.appointment.mode
    chosen = preferred if preferred in slot.modes else sorted(slot.modes, key=lambda m: m.value)[0]
    new_id_ = rebook_id(ctx.appointment.id)
    try:  # checked against the grid above; the claims in the transaction refuse a taken time
        booked = booking.book_appointment(
            deps, ctx.therapist, ctx.client, start, chosen, actor=Actor.client("link"),
            location=ctx.appointment.location, appointment_id=new_id_, require_open_slot=False,
            status=Status.CONFIRMED)  # the client chose this time themselves
    except (ValidationError, SlotUnavailable, SlotTaken):
        # A second tap finds its own booking holding the time: answer with that booking.
        existing = deps.store.get_appointment(new_id_, consistent=True)
        if existing is not None and existing.client_id == ctx.client.id:
            return existing, False
        raise
    notify.send_change(deps, "rebooked", booked, ctx.client, ctx.therapist, ctx.settings)
    return booked, True


def rebooked_as(deps: Deps, ctx: AppointmentContext) -> Appointment | None:
    """The session already booked from this link, if any (one GetItem)."""
    found = deps.store.get_appointment(rebook_id(ctx.appointment.id))
    return found if found is not None and found.client_id == ctx.client.id else None


__all__ = ["open_link", "choices", "Choices", "offer_for", "Offer", "confirm", "reschedule",
           "switch_mode", "cancel", "rebook", "group_by_day"]
