"""What the workspace pages show (the read side): each function returns what one page needs,
read in as few calls as that page's budget in ``tools/bench_workspace.py`` allows."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from portal.domain.audit import AuditEvent
from portal.domain.model import Appointment, Availability, Client, Mode, PracticeSettings, Therapist
from portal.domain.slots import Slot, open_slots, outside_hours
from portal.domain.timemath import to_local
from portal.interfaces import AppointmentContext, Deps
from portal.services.messaging import delivery
from portal.services.sessions import booking, hours
from portal.services.workspace import access
from portal.services.workspace.closed_days import on_closed_days

HISTORY_DAYS, AHEAD_DAYS = 180, 365
PREVIEW_DAYS = 14


def slots_by_day(slots: list[Slot], zone_name: str) -> list[tuple[date, list[Slot]]]:
    """Open slots grouped by the therapist's local day, in order."""
    by_day: dict = {}
    for slot in slots:
        by_day.setdefault(to_local(slot.start, zone_name).date(), []).append(slot)
    return sorted(by_day.items())


# --- clients ------------------------------------------------------------------------------------
def client_list(deps: Deps, therapist: Therapist) -> list[Client]:
    return sorted(deps.store.list_clients(therapist.id),
                  key=lambda c: (c.last_name.lower(), c.first_name.lower()))


@dataclass(frozen=True)
class ClientPage:
    sessions: list[Appointment]  # newest first
    slot_days: list[tuple[date, list[Slot]]]  # the open times to book, by day
    now: datetime


def client_page(deps: Deps, client: Client, therapist: Therapist, viewer: Therapist) -> ClientPage:
    """The client's sessions (half a year back, a year ahead) that the viewer may open, and
    the therapist's open times."""
    store, now = deps.store, deps.clock.now()
    sessions = [s for s in store.client_appointments(client.id, now - timedelta(days=HISTORY_DAYS),
                                                     now + timedelta(days=AHEAD_DAYS))
                if access.can_see(viewer, s.therapist_id)]
    slots = booking.open_times(deps, therapist, store.get_availability(therapist.id), store.get_settings())
    return ClientPage(sorted(sessions, key=lambda a: a.start, reverse=True),
                      slots_by_day(slots, therapist.timezone), now)


# --- one session --------------------------------------------------------------------------------
@dataclass(frozen=True)
class AppointmentPage:
    now: datetime
    started: bool
    can_switch_to: Mode | None  # the other mode, where offered at that time and still open
    outside: bool  # booked outside the therapist's current hours
    late: bool  # cancelling now would be inside the late-cancel window
    audit: list[AuditEvent]
    deliveries: tuple = ()  # each message the client was sent, and its state
    closed: bool = False  # still on, on a day the practice is closed: for the therapist to move


def appointment_page(deps: Deps, ctx: AppointmentContext) -> AppointmentPage:
    now = deps.clock.now()
    appt = ctx.appointment
    modes = booking.modes_available(ctx)
    audit, deliveries = delivery.session_history(deps, appt.id)  # one Query for both
    other = Mode.TELE if appt.mode is Mode.IN_PERSON else Mode.IN_PERSON
    return AppointmentPage(
        now=now, started=appt.start <= now,
        can_switch_to=other if other in modes and appt.status.is_open else None,
        outside=appt.start > now and outside_hours(appt, ctx.availability, ctx.therapist),
        late=booking.is_late_cancel(ctx, now), audit=audit, deliveries=deliveries,
        closed=bool(on_closed_days([appt], ctx.settings, ctx.therapist, now)))


def reschedule_days(deps: Deps, ctx: AppointmentContext) -> list[tuple[date, list[Slot]]]:
    """The times this session could move to, by the therapist's day (one Query); never the
    time it already has."""
    options = [s for s in booking.reschedule_options(deps, ctx) if s.start != ctx.appointment.start]
    return slots_by_day(options, ctx.therapist.timezone)


# --- hours --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AvailabilityPage:
    availability: Availability
    settings: PracticeSettings
    preview: list[tuple[date, list[Slot]]]  # the next two weeks' open times
    outside: list[Appointment]  # booked sessions the hours no longer cover
    closed: tuple[Appointment, ...] | list[Appointment] = ()  # booked on a day the practice is closed


def availability_page(deps: Deps, therapist: Therapist,
                      availability: Availability | None = None) -> AvailabilityPage:
    """Hours, practice rules, a preview and the sessions outside the hours: one calendar read
    serves the preview and the flags."""
    settings = deps.store.get_settings()
    if availability is None:
        availability = deps.store.get_availability(therapist.id)
    now = deps.clock.now()
    ahead = deps.store.therapist_appointments(therapist.id, now, now + timedelta(days=hours.OUTSIDE_HOURS_DAYS))
    return AvailabilityPage(availability, settings, _preview(now, therapist, availability, settings, ahead),
                            hours.sessions_outside_hours(deps, therapist, availability, ahead),
                            on_closed_days(ahead, settings, therapist, now))


def _preview(now: datetime, therapist: Therapist, availability: Availability, settings: PracticeSettings,
             booked: list[Appointment]) -> list[tuple[date, list[Slot]]]:
    """The next two weeks' open slots, grouped by the therapist's local day."""
    horizon = replace(settings, booking_horizon_days=min(PREVIEW_DAYS, settings.booking_horizon_days))
    return slots_by_day(open_slots(therapist, availability, booked, horizon, now), therapist.timezone)
