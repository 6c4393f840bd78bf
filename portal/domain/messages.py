"""Pending messages: which reminders an appointment should get, and when."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from portal.domain.model import Appointment, Channel, Client, PracticeSettings
from portal.domain.timemath import iso_utc, to_local

PENDING, CLAIMED, SENT, SKIPPED = "pending", "claimed", "sent", "skipped"


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
    detail: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Stable per appointment time: a moved session gets fresh keys."""
        stamp = self.for_start.strftime("%Y%m%dT%H%M") if self.for_start else "-"
        return f"{self.kind}#{self.channel.value}#{stamp}"

    @property
    def due_bucket(self) -> str:
        return due_bucket(self.due_at)

    @property
    def due_sort(self) -> str:
        return f"{iso_utc(self.due_at)}#{self.appointment_id}#{self.key}"


def due_bucket(instant: datetime) -> str:
    """Hour buckets: a run reads only the buckets between its cursor and now."""
    return "DUE#" + instant.strftime("%Y-%m-%dT%H")


def in_quiet_hours(instant: datetime, client: Client, settings: PracticeSettings) -> bool:
    local = to_local(instant, client.timezone).time()
    start, end = settings.quiet_start, settings.quiet_end
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # spans midnight, as 21:00-08:00 does


def plan_reminders(
    appointment: Appointment, client: Client, settings: PracticeSettings, now: datetime
) -> list[PendingMessage]:
    """The reminders still ahead for this session, on the channels the client chose."""
    planned = []
    for rule in settings.reminder_schedule:
        due = appointment.start - timedelta(hours=rule.hours_before)
        if due <= now:
            continue  # booked late: an earlier reminder would arrive after its moment
        for channel in rule.channels:
            if not client.wants(channel):
                continue
            planned.append(
                PendingMessage(
                    appointment_id=appointment.id,
                    kind=f"r{rule.hours_before}",
                    channel=channel,
                    due_at=due,
                    for_start=appointment.start,
                )
            )
    return planned
