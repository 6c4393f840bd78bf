"""Use cases on one session: book, confirm, reschedule, switch mode, cancel, mark attendance.

The client's links, the therapist's workspace, the SMS replies and the import all
come through here, so the conflict rules and the audit trail are the same for all.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Sequence

from portal.domain.audit import Actor, AuditEvent
from portal.domain.errors import InvalidTransition, SlotUnavailable, StaleVersion, ValidationError
from portal.domain.ids import new_id
from portal.domain.messages import plan_followup, plan_reminders
from portal.domain.model import Appointment, Availability, Barrier, Client, Mode, PracticeSettings, Status, Therapist
from portal.domain.moves import MovedFrom
from portal.domain.notices import plan_notices
from portal.domain.slots import Slot, find_slot, modes_offered_at, open_slots
from portal.domain.timemath import is_on_cell
from portal.interfaces import AppointmentChange, AppointmentContext, Deps, StoreRecord
from portal.services.waitlist import waves

NOTE_MAX = 500


def hold_end(appointment: Appointment, therapist: Therapist) -> datetime:
    """A session holds its time plus the therapist's buffer after it."""
    return appointment.end + timedelta(minutes=therapist.buffer_minutes)


def join_url_for(appointment_id: str, therapist: Therapist, settings: PracticeSettings) -> str:
    if therapist.tele_room_url:
        return therapist.tele_room_url
    if settings.tele_link_template:
        return settings.tele_link_template.replace("{appointment_id}", appointment_id)
    return ""


@dataclass(frozen=True)
class HowRecorded:
    """How a booking is written, where it is not a plain new booking from the open times."""

    appointment_id: str | None = None  # an import, a seed or a waitlist claim brings its own
    status: Status = Status.SCHEDULED
    tell_later: bool = False  # the client's confirmation waits in a change notice (domain.notices)
    mode_news: bool = False  # that text keeps the mode (booked again in another mode than before)
    extra: tuple[StoreRecord, ...] = ()  # records written in the same transaction (the waitlist's claim)


def book_open_time(deps: Deps, therapist: Therapist, client: Client, start: datetime, mode: Mode,
                   *, actor: Actor, location: str = "") -> Appointment:
    """Book one of the therapist's open times, checked again here, in a mode it offers."""
    _check_bookable(therapist, client, start)
    store = deps.store
    settings = store.get_settings()
    availability = store.get_availability(therapist.id)
    booked = store.therapist_appointments(therapist.id, start - timedelta(days=1), start + timedelta(days=1))
    slot = find_slot(open_slots(therapist, availability, booked, settings, deps.clock.now()), start)
    if slot is None:
        raise SlotUnavailable("That time is no longer open. Please pick another.")
    if mode not in slot.modes:
        raise SlotUnavailable(f"That time is not offered {mode.label}.")
    return _write(deps, settings, therapist, client, start, mode, actor, location, HowRecorded())


def record_booking(deps: Deps, therapist: Therapist, client: Client, start: datetime, mode: Mode,
                   *, actor: Actor, location: str = "", how: HowRecorded = HowRecorded()) -> Appointment:
    """Write a booking without looking at the open times: for a caller that checked them
    (a client's move), or that may book outside them (a series, an import, a claim). The
    transaction's time claims still refuse a taken time."""
    _check_bookable(therapist, client, start)
    return _write(deps, deps.store.get_settings(), therapist, client, start, mode, actor, location, how)


def _check_bookable(therapist: Therapist, client: Client, start: datetime) -> None:
    if client.therapist_id != therapist.id:
        raise ValidationError("That client sees another therapist.")
    if not therapist.active:
        raise SlotUnavailable(f"{therapist.name} isn't taking new sessions.")
    if not is_on_cell(start):
        raise ValidationError("Pick a start time on a 5-minute step.")


def _write(deps: Deps, settings: PracticeSettings, therapist: Therapist, client: Client, start: datetime, mode: Mode,
           actor: Actor, location: str, how: HowRecorded) -> Appointment:
    now = deps.clock.now()
    appointment_id = how.appointment_id or new_id()
    appointment = Appointment(
        id=appointment_id, therapist_id=therapist.id, client_id=client.id, start=start,
        end=start + timedelta(minutes=therapist.session_minutes), mode=mode,
        # Kept for video sessions too, so a switch back to in person still has the address.
        location=location,
        join_url=join_url_for(appointment_id, therapist, settings) if mode is Mode.TELE else "",
        status=how.status, created_at=now, client_label=client.short_name,
    )
    messages = plan_reminders(appointment, client, settings, now)
    audit = AuditEvent(appointment.id, now, actor.label, "booked", actor.via,
                       {"start": appointment.start.isoformat(), "mode": mode.value})
    notices = plan_notices([], None, appointment, client, settings, now, "rebooked", how.mode_news) \
        if how.tell_later else []
    deps.store.book(appointment, hold_end(appointment, therapist), messages, audit,
                    extra=[deps.store.message_record(n) for n in notices] + list(how.extra))
    return appointment


def _change(deps: Deps, ctx: AppointmentContext, after: Appointment, *, actor: Actor,
            action: str, detail: dict | None = None, keep_messages: bool = False, extra: Sequence[StoreRecord] = (),
            tell_later: str = "") -> Appointment:
    """Commit one change to a session, conditional on the version the caller saw.
    ``tell_later``: the confirmation's kind, told by a change notice written in the same
    transaction (replacing a pending one) instead of at once by the caller."""
    now = deps.clock.now()
    if tell_later:
        extra = list(extra) + [deps.store.message_record(n) for n in plan_notices(
            ctx.pending_notices, ctx.appointment, after, ctx.client, ctx.settings, now, tell_later)]
    before = ctx.appointment
    if keep_messages:
        messages = []
    elif after.status.is_open:
        messages = plan_reminders(after, ctx.client, ctx.settings, now)
    else:  # a missed or late-cancelled session gets its "we missed you" in the same transaction
        messages = plan_followup(after, ctx.client, ctx.settings, now)
    # A time this change frees is offered to the waitlist: planned in this same transaction.
    extra = list(extra) + waves.freed_records(deps, ctx, before, after, now)
    deps.store.commit(AppointmentChange(
        before=before, after=after,
        before_message_keys=ctx.message_keys,
        before_hold_end=ctx.hold_end or hold_end(before, ctx.therapist),
        after_hold_end=hold_end(after, ctx.therapist),
        messages=messages,
        audit=AuditEvent(before.id, now, actor.label, action, actor.via, detail or {}),
        keep_messages=keep_messages,
        extra=list(extra),
    ))
    return after


def _expect_version(ctx: AppointmentContext, version: int) -> None:
    if version != ctx.appointment.version:
        raise StaleVersion()


def confirm(deps: Deps, ctx: AppointmentContext, version: int, *, actor: Actor,
            tell_later: bool = False) -> Appointment | None:
    """One tap. Confirming a confirmed session writes nothing and returns None."""
    appointment = ctx.appointment
    if appointment.status is Status.CONFIRMED:
        return None
    _expect_version(ctx, version)
    after = replace(appointment.transition(Status.CONFIRMED), confirmed_via=actor.via)
    return _change(deps, ctx, after, actor=actor, action="confirmed", keep_messages=True,
                   tell_later="confirmed" if tell_later else "")


def reschedule_options(deps: Deps, ctx: AppointmentContext, mode: Mode | None = None) -> list[Slot]:
    """Open slots of the same therapist over the booking horizon, this session's time excluded."""
    return open_times(deps, ctx.therapist, ctx.availability, ctx.settings,
                      ignore_appointment_id=ctx.appointment.id, mode=mode)


def open_times(deps: Deps, therapist: Therapist, availability: Availability, settings: PracticeSettings, *,
               ignore_appointment_id: str | None = None, mode: Mode | None = None) -> list[Slot]:
    """The one open-slots read: the therapist's grid less their calendar over the booking
    horizon (one Query). ``ignore_appointment_id`` frees the time of a session being moved."""
    now = deps.clock.now()
    booked = deps.store.therapist_appointments(
        therapist.id, now, now + timedelta(days=settings.booking_horizon_days + 1))
    return open_slots(therapist, availability, booked, settings, now,
                      ignore_appointment_id=ignore_appointment_id, mode=mode)


def reschedule(deps: Deps, ctx: AppointmentContext, new_start: datetime, version: int, *,
               actor: Actor, mode: Mode | None = None, slots: list[Slot] | None = None,
               undoable: bool = False, tell_later: bool = False, extra: Sequence[StoreRecord] = (),
               restore: MovedFrom | None = None) -> Appointment:
    """Move the session: release the old time and claim the new one in one transaction.
    ``restore``: an undo's earlier state, whose confirmation comes back with the time.

    ``slots`` may be passed by a caller that just computed them; otherwise the
    check reads the calendar (the claim in the transaction is what settles races).
    """
    _expect_version(ctx, version)
    appointment = ctx.appointment
    if not appointment.status.is_open:
        raise InvalidTransition(appointment.status, appointment.status)
    if new_start == appointment.start:
        raise ValidationError("That is the time you already have.")
    slot = find_slot(slots if slots is not None else reschedule_options(deps, ctx), new_start)
    if slot is None:
        raise SlotUnavailable("That time is no longer open. Here are the times that are.")
    new_mode = mode_at(slot, mode or appointment.mode)
    # A client's own move can be undone while nothing else changes (``moved_from.version``).
    moved_from = MovedFrom(appointment.start, appointment.mode.value, appointment.version + 1,
                           status=appointment.status.value, confirmed_via=appointment.confirmed_via) \
        if undoable else None
    after = replace(appointment.moved_to(new_start), mode=new_mode, changed_by_client=actor.is_client,
                    join_url=_join(appointment, new_mode, ctx), moved_from=moved_from)
    if restore is not None and restore.status in (Status.SCHEDULED.value, Status.CONFIRMED.value):
        # An undo: the session is back as it was, its confirmation state included.
        after = replace(after, status=Status(restore.status), confirmed_via=restore.confirmed_via)
    elif actor.is_client and after.status is Status.SCHEDULED:
        # The client chose this time themselves: asking them to confirm it again would nag.
        after = replace(after, status=Status.CONFIRMED, confirmed_via=actor.via)
    return _change(deps, ctx, after, actor=actor, action="rescheduled",
                   detail={"from": appointment.start.isoformat(), "to": new_start.isoformat(),
                           "mode": new_mode.value}, extra=extra,
                   tell_later="rescheduled" if tell_later else "")


def mode_at(slot: Slot, wanted: Mode) -> Mode:
    """The mode a session gets at a slot: the wanted one if offered there, else what is."""
    return wanted if wanted in slot.modes else sorted(slot.modes, key=lambda m: m.value)[0]


def _join(appointment: Appointment, mode: Mode, ctx: AppointmentContext) -> str:
    if mode is not Mode.TELE:
        return ""
    return appointment.join_url or join_url_for(appointment.id, ctx.therapist, ctx.settings)


def modes_available(ctx: AppointmentContext) -> frozenset[Mode]:
    """The modes the therapist offers at this session's time."""
    return modes_offered_at(ctx.availability, ctx.therapist, ctx.appointment.start)


def switch_mode(deps: Deps, ctx: AppointmentContext, mode: Mode, version: int, *,
                actor: Actor, tell_later: bool = False, confirm: bool = False) -> Appointment:
    """``confirm``: the client said they will come this way ("Keep it, by video"), so the
    switch also confirms the session, in the same write."""
    _expect_version(ctx, version)
    appointment = ctx.appointment
    if not appointment.status.is_open:
        raise InvalidTransition(appointment.status, appointment.status)
    if mode is appointment.mode:
        return appointment
    if mode not in modes_available(ctx):
        raise SlotUnavailable(f"{ctx.therapist.name} doesn't offer sessions {mode.label} at that time.")
    after = replace(appointment, mode=mode, version=appointment.version + 1,
                    join_url=_join(appointment, mode, ctx),
                    location=appointment.location,
                    changed_by_client=appointment.changed_by_client or actor.is_client)
    if confirm and after.status is Status.SCHEDULED:
        after = replace(after, status=Status.CONFIRMED, confirmed_via=actor.via)
    return _change(deps, ctx, after, actor=actor, action="mode_switched",
                   detail={"mode": mode.value, **({"confirmed": True} if confirm else {})},
                   keep_messages=True,
                   tell_later="mode" if tell_later else "")


def is_late_cancel(ctx: AppointmentContext, now: datetime) -> bool:
    return ctx.appointment.start - now < timedelta(hours=ctx.settings.late_cancel_hours)


def cancel(deps: Deps, ctx: AppointmentContext, version: int, *, barrier: Barrier | None = None,
           note: str = "", actor: Actor, extra: Sequence[StoreRecord] = ()) -> Appointment:
    _expect_version(ctx, version)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(f"Please keep the note under {NOTE_MAX} characters.")
    now = deps.clock.now()
    if ctx.appointment.start <= now:
        raise ValidationError("This session has already started, so it can't be cancelled here. "
                              "Please call the practice.")
    late = is_late_cancel(ctx, now) and actor.is_client
    status = Status.LATE_CANCELLED if late else Status.CANCELLED
    after = replace(ctx.appointment.transition(status), barrier=barrier, note=note,
                    changed_by_client=actor.is_client)
    return _change(deps, ctx, after, actor=actor, action="cancelled",
                   detail={"late": late, "barrier": barrier.value if barrier else None},
                   extra=extra)


def mark_attendance(deps: Deps, ctx: AppointmentContext, status: Status, version: int, *,
                    actor: Actor) -> Appointment:
    if status not in (Status.ATTENDED, Status.NO_SHOW):
        raise ValidationError("Mark the session attended or missed.")
    _expect_version(ctx, version)
    if ctx.appointment.start > deps.clock.now():
        raise ValidationError("Attendance can be marked once the session has started.")
    after = ctx.appointment.transition(status)
    return _change(deps, ctx, after, actor=actor, action=status.value)
