"""What the services need from the outside world, as protocols, plus the data they pass.

The services import only this module and the domain; adapters implement it, and
``portal.wiring`` picks which implementations to build.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from portal.domain.messages import PendingMessage
from portal.domain.model import (
    Appointment, AuditEvent, Availability, Client, PracticeSettings, Therapist,
)


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


class Store(Protocol):
    """The application's reads and writes (see portal.adapters.store.Store)."""

    def get_settings(self) -> PracticeSettings: ...
    def get_therapist(self, therapist_id: str) -> Therapist | None: ...
    def get_client(self, client_id: str) -> Client | None: ...
    def get_appointment(self, appointment_id: str, consistent: bool = False) -> Appointment | None: ...
    def load_context(self, appointment_id, client_id, therapist_id) -> AppointmentContext | None: ...
    def book(self, appointment, hold_end, messages, audit, extra=()) -> None: ...
    def commit(self, change: AppointmentChange) -> None: ...
    def therapist_appointments(self, therapist_id, start, end) -> list[Appointment]: ...
    def client_appointments(self, client_id, start, end) -> list[Appointment]: ...
    def audit_trail(self, appointment_id) -> list[AuditEvent]: ...


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
