"""The plain-Python model of a practice: no boto3, no Flask.

Times are timezone-aware datetimes in UTC; a person's zone is an IANA name
(``Europe/London``) kept beside them and applied only for display and for
weekly availability, which is written in the therapist's own wall-clock time.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

from portal.domain.errors import InvalidTransition, ValidationError
from portal.domain.moves import MovedFrom
from portal.domain.retention import BODY_DAYS, MARKER_DAYS, check_windows


class Mode(str, enum.Enum):
    IN_PERSON = "in_person"
    TELE = "tele"

    @property
    def label(self) -> str:
        return "in person" if self is Mode.IN_PERSON else "video (teletherapy)"


class Status(str, enum.Enum):
    SCHEDULED = "scheduled"  # booked, not yet confirmed by the client
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    LATE_CANCELLED = "late_cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"

    @property
    def is_open(self) -> bool:
        """Still on the calendar: the time is held and can be changed."""
        return self in (Status.SCHEDULED, Status.CONFIRMED)


# The only moves a status may make. Cancelled and attended sessions are final;
# a no-show can be corrected to attended (the client arrived late), and the
# reverse, because a therapist marking attendance can slip.
ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.SCHEDULED: frozenset(
        {Status.CONFIRMED, Status.CANCELLED, Status.LATE_CANCELLED, Status.ATTENDED, Status.NO_SHOW}
    ),
    Status.CONFIRMED: frozenset(
        {Status.CANCELLED, Status.LATE_CANCELLED, Status.ATTENDED, Status.NO_SHOW}
    ),
    Status.CANCELLED: frozenset(),
    Status.LATE_CANCELLED: frozenset(),
    Status.ATTENDED: frozenset({Status.NO_SHOW}),
    Status.NO_SHOW: frozenset({Status.ATTENDED}),
}


class Channel(str, enum.Enum):
    EMAIL = "email"
    SMS = "sms"
    VOICE = "voice"


class Barrier(str, enum.Enum):
    """What got in the way, in the client's words (the seed article's list)."""

    SCHEDULE = "schedule"
    TRANSPORT = "transport"
    COST = "cost"
    ANXIETY = "anxiety"
    ILLNESS = "illness"
    OTHER = "other"

    @property
    def label(self) -> str:
        return BARRIER_LABELS[self]


BARRIER_LABELS = {
    Barrier.SCHEDULE: "A scheduling conflict",
    Barrier.TRANSPORT: "Getting there (transportation)",
    Barrier.COST: "The cost",
    Barrier.ANXIETY: "Feeling anxious or unsure about the session",
    Barrier.ILLNESS: "Not feeling well, or an emergency",
    Barrier.OTHER: "Something else",
}


@dataclass(frozen=True)
class ReminderRule:
    """Send on ``channels`` this many hours before a session."""

    hours_before: int
    channels: tuple[Channel, ...]


DEFAULT_REMINDER_SCHEDULE = (
    ReminderRule(72, (Channel.EMAIL,)),
    ReminderRule(24, (Channel.EMAIL, Channel.SMS, Channel.VOICE)),
    ReminderRule(2, (Channel.SMS,)),
)

DEFAULT_COST_TEXT = (
    "We offer a sliding scale, and we can help you check what your insurance covers. "
    "Reply to any message or call us and we will work it out together."
)
DEFAULT_CRISIS_TEXT = (
    "If you are in crisis or thinking about harming yourself, call or text 988 "
    "(Suicide & Crisis Lifeline, US) or call 911 in an emergency."
)


CHANGE_GRACE_MAX = 30  # minutes
CLOSED_DAYS_MAX = 400  # two years of holidays and the practice's own dates, with room


@dataclass(frozen=True)
class PracticeSettings:
    display_name: str = "Attune Practice"
    timezone: str = "America/New_York"
    contact_phone: str = ""
    late_cancel_hours: int = 24
    min_notice_hours: int = 12
    booking_horizon_days: int = 28
    reminder_schedule: tuple[ReminderRule, ...] = DEFAULT_REMINDER_SCHEDULE
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    cost_text: str = DEFAULT_COST_TEXT
    crisis_text: str = DEFAULT_CRISIS_TEXT
    tele_link_template: str = ""  # e.g. https://meet.example.org/attune-{appointment_id}
    version: int = 0
    # A session still unconfirmed this many hours before gets one extra short nudge (0: none).
    nudge_hours: int = 24
    two_step_required: bool = False  # every therapist signs in with a code (services/accounts/two_step.py)
    # A client's own change is confirmed this many minutes later, coalesced (0: at once).
    change_grace_minutes: int = 3
    # The waitlist (portal.domain.waitlist.WavePolicy checks these).
    waitlist_on: bool = True
    wave_size: int = 3
    claim_minutes: int = 15
    grace_minutes: int = 3
    body_days: int = BODY_DAYS  # how long a sent message's text is kept (retention)
    marker_days: int = MARKER_DAYS  # how long one-off sending records are kept
    # Closed days (services/workspace/closed_days.py): the public holidays of the country and
    # state, less those the practice keeps open (by name), plus its own dates. ``closed_days``
    # is what they come to over the next two years, computed when saved, so no request path
    # needs the holidays package; portal.domain.slots leaves these days out of every open time.
    holiday_country: str = "US"
    holiday_state: str = ""
    holidays_open: tuple[str, ...] = ()
    own_closed_days: tuple[date, ...] = ()
    closed_days: tuple[date, ...] = ()

    def __post_init__(self):
        require_zone(self.timezone)
        if len(self.closed_days) > CLOSED_DAYS_MAX or len(self.own_closed_days) > CLOSED_DAYS_MAX:
            raise ValidationError(f"At most {CLOSED_DAYS_MAX} closed days, please.")
        check_windows(self.body_days, self.marker_days)
        for name in ("late_cancel_hours", "min_notice_hours", "nudge_hours"):
            if not 0 <= getattr(self, name) <= 24 * 14:
                raise ValidationError(f"{name.replace('_', ' ')} must be between 0 and 336")
        if not 0 <= self.change_grace_minutes <= CHANGE_GRACE_MAX:
            raise ValidationError("The wait before confirming a change must be 0 to 30 minutes.")
        if not 1 <= self.booking_horizon_days <= 365:
            raise ValidationError("The booking horizon must be between 1 and 365 days.")


@dataclass(frozen=True)
class Therapist:
    id: str
    name: str  # display name shown to clients, e.g. "Dr. Maya Chen" or "Sam"
    email: str
    timezone: str
    session_minutes: int = 50
    buffer_minutes: int = 10
    tele_room_url: str = ""
    role: str = "therapist"  # or "admin"
    password_hash: str = ""
    session_key: str = ""  # replaced at sign-out: every session signed with the old one ends
    # Two-step sign-in (services/accounts/two_step.py): empty secret = not enrolled.
    totp_secret: str = ""
    totp_last_step: int = 0  # the last 30-second step whose code was used: never accepted again
    recovery_hashes: tuple[str, ...] = ()
    active: bool = True  # False: deactivated by the admin: no sign-in, no open times

    def __post_init__(self):
        require_zone(self.timezone)
        # Bounded so a move (release + claim of 5-minute cells) fits one 100-item transaction.
        if not 15 <= self.session_minutes <= 150 or self.session_minutes % 5:
            raise ValidationError("Session length must be 15 to 150 minutes, in steps of 5.")
        if not 0 <= self.buffer_minutes <= 30 or self.buffer_minutes % 5:
            raise ValidationError("The buffer must be 0 to 30 minutes, in steps of 5.")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Client:
    id: str
    therapist_id: str
    first_name: str
    last_name: str
    email: str
    phone: str  # E.164, or "" when unknown
    timezone: str
    channels: tuple[Channel, ...] = (Channel.EMAIL,)
    sms_consent: bool = False
    sms_opted_out: bool = False
    checkins_enabled: bool = True
    email_blocked: bool = False  # the address bounced or complained: email stops until it changes
    sms_unreachable: bool = False  # texts to the number failed: shown until the number changes
    erased: bool = False  # erased on request (services/privacy/erasure.py): links answer 410

    def __post_init__(self):
        require_zone(self.timezone)

    @property
    def can_text(self) -> bool:
        return bool(self.phone) and self.sms_consent and not self.sms_opted_out

    def wants(self, channel: Channel) -> bool:
        if channel not in self.channels:
            return False
        if channel is Channel.SMS:
            return self.can_text
        if channel is Channel.VOICE:
            return bool(self.phone)
        return bool(self.email) and not self.email_blocked

    @property
    def short_name(self) -> str:
        """First name and last initial: what a therapist's digest may show."""
        initial = f" {self.last_name[:1]}." if self.last_name else ""
        return f"{self.first_name}{initial}"


@dataclass(frozen=True)
class Appointment:
    id: str
    therapist_id: str
    client_id: str
    start: datetime
    end: datetime
    mode: Mode
    location: str = ""
    status: Status = Status.SCHEDULED
    version: int = 1
    join_url: str = ""
    barrier: Barrier | None = None
    note: str = ""
    changed_by_client: bool = False
    confirmed_via: str = ""  # "link", "sms", "therapist": which reminder worked
    created_at: datetime | None = None
    moved_from: MovedFrom | None = None  # before the client's last move: what Undo goes back to
    client_label: str = ""  # the client's first name + last initial, for the therapist's feed

    def __post_init__(self):
        for name in ("start", "end"):
            value = getattr(self, name)
            if value.tzinfo is None:
                raise ValidationError(f"Appointment {name} must be timezone-aware")
        if self.end <= self.start:
            raise ValidationError("A session must end after it starts.")

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def transition(self, new_status: Status) -> "Appointment":
        if new_status not in ALLOWED_TRANSITIONS[self.status]:
            raise InvalidTransition(self.status, new_status)
        return replace(self, status=new_status, version=self.version + 1)

    def moved_to(self, new_start: datetime) -> "Appointment":
        if not self.status.is_open:
            raise InvalidTransition(self.status, self.status)
        return replace(
            self,
            start=new_start,
            end=new_start + self.duration,
            status=Status.SCHEDULED if self.status is Status.SCHEDULED else Status.CONFIRMED,
            version=self.version + 1,
        )


@dataclass(frozen=True)
class AvailabilityWindow:
    """A weekly window in the therapist's wall-clock time: Monday is 0."""

    weekday: int
    start: time
    end: time
    modes: frozenset[Mode] = frozenset({Mode.IN_PERSON, Mode.TELE})

    def __post_init__(self):
        if not 0 <= self.weekday <= 6:
            raise ValidationError("Pick a day of the week.")
        if self.end <= self.start:
            raise ValidationError("The end time must be after the start time.")
        if not self.modes:
            raise ValidationError("Offer in person, video, or both.")
        for t in (self.start, self.end):
            if t.minute % 5 or t.second:
                raise ValidationError("Times must be on 5-minute steps, such as 17:30.")

    def overlaps(self, other: "AvailabilityWindow") -> bool:
        return self.weekday == other.weekday and self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class TimeOff:
    """Whole days off, inclusive, in the therapist's zone."""

    first_day: date
    last_day: date
    reason: str = ""

    def __post_init__(self):
        if self.last_day < self.first_day:
            raise ValidationError("Time off must end on or after the day it starts.")

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class Availability:
    windows: tuple[AvailabilityWindow, ...] = ()
    time_off: tuple[TimeOff, ...] = ()
    version: int = 0

    def __post_init__(self):
        ordered = sorted(self.windows, key=lambda w: (w.weekday, w.start))
        for before, after in zip(ordered, ordered[1:]):
            if before.overlaps(after):
                raise ValidationError(
                    f"Two windows overlap on {WEEKDAYS[before.weekday]}: "
                    f"{before.start:%H:%M}-{before.end:%H:%M} and {after.start:%H:%M}-{after.end:%H:%M}."
                )

    def windows_on(self, weekday: int) -> list[AvailabilityWindow]:
        return sorted((w for w in self.windows if w.weekday == weekday), key=lambda w: w.start)


@dataclass(frozen=True)
class InboxItem:
    """Something a client told their therapist: a barrier, a note, an SMS reply, a check-in."""

    therapist_id: str
    at: datetime
    kind: str  # "barrier", "note", "sms", "checkin"
    client_id: str
    appointment_id: str = ""
    barrier: Barrier | None = None
    text: str = ""
    handled: bool = False
    id: str = ""


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def require_zone(name: str) -> None:
    from portal.domain.timemath import zone  # local import: timemath imports nothing of ours

    zone(name)


def utc(dt: datetime) -> datetime:
    return dt.astimezone(timezone.utc)
