"""What the services need from the outside world, as protocols, plus the data they pass.

The services import only this module and the domain; adapters implement it, and
``portal.wiring`` picks which implementations to build.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Protocol

from portal.domain.messages import PendingMessage
from portal.domain.model import (
    Appointment, AuditEvent, Availability, Client, InboxItem, PracticeSettings, Therapist,
)
from portal.domain.risk import CheckIn


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str = ""
    attachments: tuple[Attachment, ...] = ()


class Notifier(Protocol):
    """Sends messages; each method returns the provider's message id."""

    def send_email(self, email: Email) -> str: ...

    def send_sms(self, to: str, text: str) -> str: ...

    def send_voice(self, to: str, text: str) -> str: ...


class Throttled(Exception):
    """The provider asked us to slow down; the message stays pending."""


@dataclass
class AppointmentContext:
    """What a client link needs, read in one BatchGetItem."""

    appointment: Appointment
    client: Client
    therapist: Therapist
    availability: Availability
    settings: PracticeSettings
    message_keys: list[str] = field(default_factory=list)
    hold_end: datetime | None = None


@dataclass
class AppointmentChange:
    before: Appointment
    after: Appointment
    before_message_keys: list[str]
    before_hold_end: datetime
    after_hold_end: datetime
    messages: list[PendingMessage]  # the full new set of pending reminders
    audit: AuditEvent
    extra: list[dict] = field(default_factory=list)  # records written in the same transaction
    keep_messages: bool = False  # leave pending reminders as they are (a confirm)


class InboundClaim(Enum):
    """What taking the lock on one inbound message found (see InboundStore.begin_inbound)."""

    STARTED = "started"  # ours to handle now
    DONE = "done"  # handled already: a redelivery does nothing
    BUSY = "busy"  # another run holds it and its lock has not run out: retry later


# --- the store, as the roles the services need -----------------------------------------------
class SettingsStore(Protocol):
    def get_settings(self) -> PracticeSettings: ...
    def save_settings(self, settings: PracticeSettings) -> PracticeSettings: ...


class TherapistStore(Protocol):
    def add_therapist(self, therapist: Therapist, availability: Availability | None = None) -> None: ...
    def update_therapist(self, therapist: Therapist) -> None: ...
    def set_password_hash(self, therapist_id: str, password_hash: str) -> None: ...
    def get_therapist(self, therapist_id: str) -> Therapist | None: ...
    def therapist_by_email(self, email: str) -> Therapist | None: ...
    def list_therapists(self) -> list[Therapist]: ...
    def get_availability(self, therapist_id: str) -> Availability: ...
    def save_availability(self, therapist_id: str, availability: Availability) -> Availability: ...
    def therapist_with_availability(self, therapist_id: str) -> tuple[Therapist | None, Availability]: ...


class ClientStore(Protocol):
    def add_client(self, client: Client) -> None: ...
    def update_client(self, client: Client) -> None: ...
    def set_client_flags(self, client_id: str, **flags: bool) -> None: ...
    def get_client(self, client_id: str) -> Client | None: ...
    def list_clients(self, therapist_id: str) -> list[Client]: ...
    def clients_by_phone(self, phone: str) -> list[Client]: ...
    def clients_by_email(self, email: str) -> list[Client]: ...


class AppointmentStore(Protocol):
    def get_appointment(self, appointment_id: str, consistent: bool = False) -> Appointment | None: ...
    def load_context(self, appointment_id: str, client_id: str,
                     therapist_id: str) -> AppointmentContext | None: ...
    def book(self, appointment: Appointment, hold_end: datetime, messages: list[PendingMessage],
             audit: AuditEvent, extra=()) -> None: ...
    def commit(self, change: AppointmentChange) -> None: ...
    def record_past_session(self, appointment: Appointment, audit: AuditEvent) -> bool: ...
    def therapist_appointments(self, therapist_id: str, start: datetime,
                               end: datetime) -> list[Appointment]: ...
    def client_appointments(self, client_id: str, start: datetime, end: datetime) -> list[Appointment]: ...
    def audit_trail(self, appointment_id: str) -> list[AuditEvent]: ...
    def add_audit(self, event: AuditEvent) -> None: ...


class MessageStore(Protocol):
    """Pending messages in the due index: claimed, sent (or skipped), or given back."""

    def messages_of(self, appointment_id: str) -> list[PendingMessage]: ...
    def messages_due(self, lane: str, hour: datetime, upto: datetime) -> list[PendingMessage]: ...
    def claim_message(self, message: PendingMessage, now: datetime, lease_until: datetime) -> bool: ...
    def finish_message(self, message: PendingMessage, status: str, provider_id: str = "") -> bool: ...
    def release_message(self, message: PendingMessage) -> bool: ...
    def put_message(self, message: PendingMessage) -> bool: ...
    def read_for_sending(self, appointment_ids=(), client_ids=(), therapist_ids=(),
                         consistent: bool = True) -> dict: ...


class RunStore(Protocol):
    """What scheduled runs remember: where each lane left off, and what happened once."""

    def cursor(self, lane: str) -> datetime | None: ...
    def set_cursor(self, lane: str, at: datetime) -> None: ...
    def claim_daily_text(self, client_id: str, day: date, owner: str, expires_at: int) -> bool: ...
    def finish_daily_text(self, client_id: str, day: date, owner: str, expires_at: int) -> None: ...
    def claim_checkin_message(self, appointment_id: str, after: str, owner: str) -> bool: ...
    def finish_checkin_message(self, appointment_id: str, after: str, owner: str,
                               expires_at: int) -> None: ...
    def claim_followup(self, appointment_id: str, owner: str) -> bool: ...
    def finish_followup(self, appointment_id: str, owner: str, expires_at: int) -> None: ...
    def claim_digest(self, therapist_id: str, day: date, owner: str) -> bool: ...
    def finish_digest(self, therapist_id: str, day: date, owner: str, expires_at: int) -> None: ...
    def release_digest(self, therapist_id: str, day: date, owner: str) -> None: ...


class InboxStore(Protocol):
    def inbox_record(self, item: InboxItem) -> dict: ...
    def add_inbox(self, item: InboxItem) -> None: ...
    def inbox(self, therapist_id: str, limit: int = 100) -> list[InboxItem]: ...
    def mark_inbox_handled(self, item: InboxItem) -> None: ...


class CheckinStore(Protocol):
    def record_checkin(self, client_id: str, answer: CheckIn, appointment_id: str,
                       therapist_id: str) -> bool: ...
    def latest_checkins(self, client_ids) -> dict[str, CheckIn]: ...
    def availability_with_checkins(self, therapist_id: str | None,
                                   client_ids) -> tuple[Availability | None, dict[str, CheckIn]]: ...


class ThrottleStore(Protocol):
    def count_attempt(self, scope: str, subject: str, window: int, amount: int,
                      expires_at: int) -> int: ...


class InboundStore(Protocol):
    """Event-driven handlers' locks: in progress (with an expiry), completed, or removed."""

    def begin_inbound(self, source: str, message_id: str, owner: str, now: datetime,
                      lock_until: datetime, expires_at: int) -> InboundClaim: ...
    def complete_inbound(self, source: str, message_id: str, owner: str, expires_at: int) -> None: ...
    def abandon_inbound(self, source: str, message_id: str, owner: str) -> None: ...


class Store(SettingsStore, TherapistStore, ClientStore, AppointmentStore, MessageStore, RunStore,
            InboxStore, CheckinStore, ThrottleStore, InboundStore, Protocol):
    """Every role at once: what ``portal.adapters.store.Store`` implements."""


@dataclass
class Deps:
    """The collaborators every service takes: built by portal.wiring, or by a test with fakes."""

    store: Store
    notifier: Notifier
    clock: Clock
    links: "LinkMaker"
    link_ttl_days: int = 7


class LinkMaker(Protocol):
    def appointment_url(self, appointment: Appointment, path: str = "") -> str: ...
