"""Pending messages: which reminders, nudges, follow-ups and check-ins a session gets, and when.

Everything is decided here, when a session is booked, moved or marked, so the due index
holds the exact moment each message goes out:

- Quiet hours (client's zone) apply to SMS and voice. A reminder due in them moves to
  the last allowed moment before they began (it must come before the session); if that
  moment has already passed, there is none left and it is not planned. Follow-ups and
  check-ins move to just after the quiet hours end instead.
- At most one reminder SMS per client-local day: of one session's reminder texts, the
  earliest on a day is kept. (Texts for two different sessions on one day are settled
  when sending, by a once-a-day record; see portal.services.messaging.reminders.)
- The nudge: one extra short message for a session still not confirmed ``nudge_hours``
  before. When a reminder goes out at (or up to 3 h before) that moment, the nudge
  waits 3 h after it, so the client has had time to answer the reminder. By SMS when
  that day has no reminder text, otherwise by email. Skipped when sending if confirmed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from portal.domain.model import Appointment, Channel, Client, PracticeSettings, Status
from portal.domain.quiet_hours import first_allowed_from, is_quiet, last_allowed_before, local_day
from portal.domain.timemath import local_wall_to_utc, to_local

PENDING, CLAIMED, SENT, SKIPPED, FAILED = "pending", "claimed", "sent", "skipped", "failed"
PHONE_CHANNELS = (Channel.SMS, Channel.VOICE)

NUDGE = "nudge"
FOLLOWUP = "followup"
CHECKIN = "checkin"
FRESH_LINK = "fresh"  # a fresh link asked for from an expired link's page
CHANGE_NOTICE = "change"  # a client's changes, told once after a grace period (coalesced)
# Each scheduled function reads its own lane of the due index (its own bucket keys).
LANES = {FOLLOWUP: FOLLOWUP, CHECKIN: CHECKIN, FRESH_LINK: FRESH_LINK, CHANGE_NOTICE: CHANGE_NOTICE}

NUDGE_AFTER_REMINDER = timedelta(hours=3)
NUDGE_LAST_USEFUL = timedelta(hours=2)  # a nudge closer to the session than this is dropped
FOLLOWUP_AFTER_SESSION = timedelta(hours=2)
FOLLOWUP_AFTER_MARKING = timedelta(minutes=15)  # time to correct a mistaken "missed" mark
FOLLOWUP_PLAN_WITHIN = timedelta(days=7)  # a session marked later than this gets none


@dataclass(frozen=True)
class PendingMessage:
    appointment_id: str
    kind: str  # "r72", "r24", "r2", "nudge", "followup", "checkin", ...
    channel: Channel
    due_at: datetime
    status: str = PENDING
    for_start: datetime | None = None  # the session time it was planned for
    provider_id: str = ""
    claimed_until: datetime | None = None
    detail: dict = field(default_factory=dict)  # {"client": id, ...}: read with the session

    @property
    def key(self) -> str:
        """Stable per appointment time: a moved session gets fresh keys."""
        stamp = self.for_start.strftime("%Y%m%dT%H%M") if self.for_start else "-"
        return f"{self.kind}#{self.channel.value}#{stamp}"

    @property
    def lane(self) -> str:
        return lane_of(self.kind)

    @property
    def is_reminder(self) -> bool:
        return self.lane == ""


OFFER = "offer"  # a waitlist wave: "offer" (wave 1), "offer2", ... (see services/waitlist_waves)


def lane_of(kind: str) -> str:
    """"" for reminders and nudges (the reminders function), else the kind's own lane."""
    if kind.startswith(OFFER):
        return OFFER
    return LANES.get(kind, "")


def in_quiet_hours(instant: datetime, client: Client, settings: PracticeSettings) -> bool:
    return is_quiet(instant, client.timezone, settings.quiet_start, settings.quiet_end)


def _before_quiet(due: datetime, channel: Channel, client: Client, settings: PracticeSettings) -> datetime:
    if channel not in PHONE_CHANNELS:
        return due
    return last_allowed_before(due, client.timezone, settings.quiet_start, settings.quiet_end)


def _after_quiet(due: datetime, channel: Channel, client: Client, settings: PracticeSettings) -> datetime:
    if channel not in PHONE_CHANNELS:
        return due
    return first_allowed_from(due, client.timezone, settings.quiet_start, settings.quiet_end)


# --- reminders and the nudge -------------------------------------------------------------
def plan_reminders(
    appointment: Appointment, client: Client, settings: PracticeSettings, now: datetime
) -> list[PendingMessage]:
    """The reminders still ahead for this session, on the channels the client chose."""
    planned = []
    for rule in settings.reminder_schedule:
        due = appointment.start - timedelta(hours=rule.hours_before)
        for channel in rule.channels:
            if not client.wants(channel):
                continue
            when = _before_quiet(due, channel, client, settings)
            if when <= now:
                continue  # booked late, or no allowed moment left: it would arrive after its time
            planned.append(_message(appointment, client, f"r{rule.hours_before}", channel, when))
    planned = _one_text_a_day(planned, client.timezone)
    return planned + plan_nudge(appointment, client, settings, now, planned)


def _message(appointment: Appointment, client: Client, kind: str, channel: Channel, due: datetime,
             **detail: object) -> PendingMessage:
    return PendingMessage(appointment_id=appointment.id, kind=kind, channel=channel, due_at=due,
                          for_start=appointment.start, detail={"client": client.id, **detail})


def _one_text_a_day(planned: list[PendingMessage], zone_name: str) -> list[PendingMessage]:
    texted_days, kept = set(), []
    for message in sorted(planned, key=lambda m: (m.due_at, m.key)):
        if message.channel is Channel.SMS:
            day = local_day(message.due_at, zone_name)
            if day in texted_days:
                continue
            texted_days.add(day)
        kept.append(message)
    return kept


def plan_nudge(appointment: Appointment, client: Client, settings: PracticeSettings,
               now: datetime, reminders: list[PendingMessage]) -> list[PendingMessage]:
    if not settings.nudge_hours or appointment.status is not Status.SCHEDULED:
        return []
    due = appointment.start - timedelta(hours=settings.nudge_hours)
    close = [m.due_at for m in reminders if due - NUDGE_AFTER_REMINDER < m.due_at <= due]
    if close:
        due = max(close) + NUDGE_AFTER_REMINDER
    texted_days = {local_day(m.due_at, client.timezone) for m in reminders
                   if m.channel is Channel.SMS}
    for channel in (Channel.SMS, Channel.EMAIL):
        if not client.wants(channel):
            continue
        when = _before_quiet(due, channel, client, settings)
        if channel is Channel.SMS and local_day(when, client.timezone) in texted_days:
            continue
        if now < when <= appointment.start - NUDGE_LAST_USEFUL:
            return [_message(appointment, client, NUDGE, channel, when)]
    return []


# --- follow-up after a missed session ---------------------------------------------------------
def followup_channel(client: Client) -> Channel | None:
    """The client's first choice among the channels that can carry a link."""
    return next((c for c in client.channels
                 if c in (Channel.EMAIL, Channel.SMS) and client.wants(c)), None)


def plan_followup(appointment: Appointment, client: Client, settings: PracticeSettings,
                  now: datetime) -> list[PendingMessage]:
    """A warm "we missed you" a couple of hours after a missed or late-cancelled session."""
    if appointment.status not in (Status.NO_SHOW, Status.LATE_CANCELLED):
        return []
    if now - appointment.end > FOLLOWUP_PLAN_WITHIN:
        return []  # marked long afterwards: a "we missed you" now would feel odd
    channel = followup_channel(client)
    if channel is None:
        return []
    due = max(appointment.end + FOLLOWUP_AFTER_SESSION, now + FOLLOWUP_AFTER_MARKING)
    due = _after_quiet(due, channel, client, settings)
    return [_message(appointment, client, FOLLOWUP, channel, due)]


# --- check-ins between sessions --------------------------------------------------------------
@dataclass(frozen=True)
class CheckinPolicy:
    """By default: midway between sessions a week or more apart, never within 24 h of one."""

    min_gap: timedelta = timedelta(days=7)  # start to start
    max_gap: timedelta = timedelta(days=35)
    position: float = 0.5  # 0.5 = midway
    clear_of_sessions: timedelta = timedelta(hours=24)
    local_time: time = time(10, 0)  # on the chosen day, in the client's zone

    def window(self, since: datetime, now: datetime) -> tuple[datetime, datetime]:
        """The session starts a run must read to find every pair whose moment falls in
        (since, now]. The moment is ``position`` of the way from one session's end to the next
        one's start (those are less than ``max_gap`` + 1 day + 1 hour apart: the gap is counted
        in local days), then set to ``local_time`` on its local day (less than a day either way,
        clock changes included); the slack also covers the earlier session's length."""
        spread, slack = self.max_gap + timedelta(days=2), timedelta(days=2)
        return since - spread * self.position - slack, now + spread * (1 - self.position) + slack


CHECKIN_PREVIOUS = frozenset({Status.SCHEDULED, Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW})


def checkin_moment(previous: Appointment, following: Appointment, zone_name: str,
                   policy: CheckinPolicy = CheckinPolicy()) -> datetime | None:
    """When to check in between two sessions, or None when they are too close or far apart."""
    # Calendar days in the client's zone: weekly sessions across a clock change are 6 d 23 h apart.
    days_apart = (to_local(following.start, zone_name).date() - to_local(previous.start, zone_name).date()).days
    if not policy.min_gap.days <= days_apart <= policy.max_gap.days:
        return None
    point = previous.end + (following.start - previous.end) * policy.position
    day = to_local(point, zone_name).date()
    moment = local_wall_to_utc(day, policy.local_time, zone_name) or point
    if moment < previous.end + policy.clear_of_sessions:
        return None
    if moment > following.start - policy.clear_of_sessions:
        return None
    return moment


def checkin_pairs(sessions: list[Appointment]) -> list[tuple[Appointment, Appointment]]:
    """Consecutive (previous, next) sessions of one client; cancelled ones don't count."""
    kept = sorted((a for a in sessions if a.status in CHECKIN_PREVIOUS), key=lambda a: a.start)
    return [(a, b) for a, b in zip(kept, kept[1:]) if b.status.is_open]


def plan_checkin(previous: Appointment, following: Appointment, client: Client,
                 settings: PracticeSettings, policy: CheckinPolicy = CheckinPolicy()) -> PendingMessage | None:
    """The check-in message for the gap before ``following``, or None."""
    if not client.checkins_enabled:
        return None
    moment = checkin_moment(previous, following, client.timezone, policy)
    channel = followup_channel(client)
    if moment is None or channel is None:
        return None
    moment = _after_quiet(moment, channel, client, settings)
    return _message(following, client, CHECKIN, channel, moment, after=previous.id)
