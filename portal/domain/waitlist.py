"""The waitlist: who would take an earlier time, which freed times fit them, and in what order.

A client on the list says which days and times of day suit, in person or video or either,
and how short a notice they can manage. A freed slot (an "opening") is offered in waves:
each wave to the best-fitting entries not yet offered it, ordered by how much sooner the
time is than their current session (the gain), then by time on the list. Plain Python:
the store, the senders and the clock are the services' business.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta

from portal.domain.errors import ValidationError
from portal.domain.messages import OFFER, PendingMessage
from portal.domain.model import Appointment, Availability, Channel, Mode, PracticeSettings, Therapist
from portal.domain.slots import outside_hours
from portal.domain.timemath import to_local

# Parts of the day, in the client's zone: [start, end).
PARTS = {"morning": (time(0), time(12)), "afternoon": (time(12), time(17)),
         "evening": (time(17), time(23, 59, 59))}
PART_LABELS = {"morning": "Mornings", "afternoon": "Afternoons", "evening": "Evenings"}
PART_HINTS = {"morning": "before noon", "afternoon": "noon to 5 PM", "evening": "from 5 PM"}  # = PARTS
ALL_DAYS = frozenset(range(7))
NOTICE_CHOICES = (2, 6, 12, 24, 48)  # hours
DEFAULT_NOTICE_HOURS = 24
DEFAULT_STAY_DAYS = 60  # for a client with no session to compare against
OPEN, CLAIMED, CLOSED = "open", "claimed", "closed"
MIN_LEAD = timedelta(hours=1)  # a time closer than this is not offered at all
NEAR = timedelta(hours=6)  # a time this near gets a shorter claim window
NEAR_WINDOW = timedelta(minutes=5)
OFFERS_A_DAY = 2  # per client, in their own day
HOURS = "hours"  # an opening's reason: the therapist's hours opened this time


@dataclass(frozen=True)
class WaitlistPrefs:
    weekdays: frozenset[int] = ALL_DAYS  # Monday is 0, in the client's zone
    parts: frozenset[str] = frozenset(PARTS)
    mode: Mode | None = None  # None: either
    notice_hours: int = DEFAULT_NOTICE_HOURS

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= ALL_DAYS:
            raise ValidationError("Pick at least one day that suits you.")
        if not self.parts or not self.parts <= set(PARTS):
            raise ValidationError("Pick at least one time of day that suits you.")
        if not 0 <= self.notice_hours <= 24 * 14:
            raise ValidationError("Pick how much notice you need.")


@dataclass(frozen=True)
class OfferRef:
    """The offer a client was last sent: a "Y" by text claims it while it stands."""

    opening_id: str
    until: datetime


@dataclass(frozen=True)
class WaitlistEntry:
    client_id: str
    therapist_id: str
    timezone: str  # the client's, for their days and times of day
    prefs: WaitlistPrefs
    joined_at: datetime
    expires_at: datetime
    appointment_id: str = ""  # the session an earlier time would replace ("" for none yet)
    current_start: datetime | None = None
    offer: OfferRef | None = None
    added_by: str = "client"  # or "therapist"
    name: str = ""  # first name and last initial, for the therapist's list without a read

    def is_live(self, now: datetime) -> bool:
        return now < self.expires_at

    def fits(self, start: datetime, modes: frozenset[Mode], now: datetime) -> Mode | None:
        """The mode this entry would take the time in, or None when it doesn't suit."""
        if not self.is_live(now) or start - now < timedelta(hours=self.prefs.notice_hours):
            return None
        if self.current_start is not None and start >= self.current_start:
            return None  # not earlier than what they have
        local = to_local(start, self.timezone)
        if local.weekday() not in self.prefs.weekdays:
            return None
        if not any(lo <= local.time() < hi for p, (lo, hi) in PARTS.items() if p in self.prefs.parts):
            return None
        wanted = [self.prefs.mode] if self.prefs.mode else sorted(modes, key=lambda m: m.value)
        return next((m for m in wanted if m in modes), None)

    def gain(self, start: datetime) -> timedelta:
        """How much sooner than their current session; for no session, all the time ahead."""
        return (self.current_start - start) if self.current_start else timedelta(days=365)


def entry_expiry(now: datetime, current_start: datetime | None,
                 stay_days: int = DEFAULT_STAY_DAYS) -> datetime:
    """An entry ends when the session it would replace comes, or after ``stay_days``."""
    return current_start if current_start else now + timedelta(days=stay_days)


@dataclass(frozen=True)
class OfferSent:
    client_id: str
    wave: int
    at: datetime
    channel: str  # "sms" or "email"


@dataclass(frozen=True)
class Opening:
    """A freed time of one therapist, and its story: offered to whom, when, who claimed it."""

    id: str
    therapist_id: str
    start: datetime
    end: datetime  # the session's end (its buffer is the therapist's)
    modes: frozenset[Mode]
    source_appointment_id: str
    freed_at: datetime
    reason: str = "cancelled"  # "cancelled", "moved"
    status: str = OPEN
    wave: int = 0
    offers: tuple[OfferSent, ...] = ()
    claimed_by: str = ""
    claimed_at: datetime | None = None
    claimed_appointment_id: str = ""
    days_gained: float | None = None
    version: int = 0

    @property
    def offered_to(self) -> frozenset[str]:
        return frozenset(o.client_id for o in self.offers)

    def claimed(self, client_id: str, appointment_id: str, at: datetime,
                previous_start: datetime | None) -> Opening:
        gained = (previous_start - self.start).total_seconds() / 86400 if previous_start else None
        return replace(self, status=CLAIMED, claimed_by=client_id, claimed_at=at,
                       claimed_appointment_id=appointment_id, days_gained=gained,
                       version=self.version + 1)

    def with_wave(self, sent: list[OfferSent]) -> Opening:
        return replace(self, wave=self.wave + 1, offers=self.offers + tuple(sent),
                       version=self.version + 1)

    def closed(self) -> Opening:
        return replace(self, status=CLOSED, version=self.version + 1)


@dataclass(frozen=True)
class WavePolicy:
    on: bool = True
    wave_size: int = 3
    claim_minutes: int = 15
    grace_minutes: int = 3

    def __post_init__(self) -> None:
        if not 1 <= self.wave_size <= 10:
            raise ValidationError("A wave goes to 1 to 10 clients.")
        if not 5 <= self.claim_minutes <= 120:
            raise ValidationError("The claim window must be 5 to 120 minutes.")
        if not 0 <= self.grace_minutes <= 60:
            raise ValidationError("The grace period must be 0 to 60 minutes.")

    def claim_window(self, start: datetime, now: datetime) -> timedelta:
        """Shorter when the time is near, so more people can hear of it while it helps."""
        window = timedelta(minutes=self.claim_minutes)
        return min(window, NEAR_WINDOW) if start - now < NEAR else window


def is_freed(before_open: bool, after_open: bool, before_start: datetime, after_start: datetime,
             cancelled: bool) -> str:
    """Why a change frees the session's old time ("" when it doesn't): a cancel or a move
    away. A session marked attended or missed frees nothing anyone could still use."""
    if not before_open:
        return ""
    if cancelled:
        return "cancelled"
    if after_open and after_start != before_start:
        return "moved"
    return ""


def wave_message(opening: Opening, wave: int, due: datetime) -> PendingMessage:
    """A wave's due message. It is filed under the opening's id, not the freed session's, so
    that session's own messages (and any later change to them) never include it."""
    kind = OFFER if wave == 1 else f"{OFFER}{wave}"
    return PendingMessage(appointment_id=opening.id, kind=kind,
                          channel=Channel.EMAIL,  # unused: each offer picks the client's channel
                          due_at=due, for_start=opening.start,
                          detail={"opening": opening.id, "wave": wave})


def still_in_hours(opening: Opening, availability: Availability, therapist: Therapist) -> bool:
    """An undo within the grace period (time off put back) offers nothing."""
    probe = Appointment(id=opening.id, client_id="", therapist_id=opening.therapist_id,
                        start=opening.start, end=opening.end, mode=sorted(opening.modes, key=str)[0])
    return not outside_hours(probe, availability, therapist)


def worth_offering(start: datetime, now: datetime) -> bool:
    return start - now >= MIN_LEAD


@dataclass(frozen=True)
class Candidate:
    entry: WaitlistEntry
    mode: Mode


def rank(entries: list[WaitlistEntry], opening: Opening, now: datetime) -> list[Candidate]:
    """Entries this time fits and who were not offered it yet: the greatest gain first, then
    the longest on the list."""
    fitting = []
    for entry in entries:
        if entry.client_id in opening.offered_to:
            continue
        mode = entry.fits(opening.start, opening.modes, now)
        if mode is not None:
            fitting.append(Candidate(entry, mode))
    return sorted(fitting, key=lambda c: (-c.entry.gain(opening.start), c.entry.joined_at,
                                          c.entry.client_id))


@dataclass
class WaitlistFigures:
    freed: int = 0
    offered: int = 0
    refilled: int = 0
    refill_rate: float | None = None
    median_minutes_to_refill: float | None = None
    median_days_gained: float | None = None
    recent: list = field(default_factory=list)


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def figures(openings: list[Opening]) -> WaitlistFigures:
    """Slots freed, offered, refilled; the refill rate (of those offered); the medians."""
    offered = [o for o in openings if o.offers]
    refilled = [o for o in openings if o.status == CLAIMED]
    minutes = [(o.claimed_at - o.freed_at).total_seconds() / 60 for o in refilled if o.claimed_at]
    gained = [o.days_gained for o in refilled if o.days_gained is not None]
    return WaitlistFigures(
        freed=len(openings), offered=len(offered), refilled=len(refilled),
        refill_rate=(len(refilled) / len(offered)) if offered else None,
        median_minutes_to_refill=_median(minutes), median_days_gained=_median(gained),
        recent=sorted(openings, key=lambda o: o.freed_at, reverse=True)[:10])


def policy_of(settings: PracticeSettings) -> WavePolicy:
    """The practice's waitlist settings (PracticeSettings carries them)."""
    return WavePolicy(on=settings.waitlist_on, wave_size=settings.wave_size,
                      claim_minutes=settings.claim_minutes, grace_minutes=settings.grace_minutes)
