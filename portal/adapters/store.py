"""The store: the application's reads and writes, written once over either table.

``Store(MemoryTable())`` is the unit tests' fake; ``Store(DynamoTable(...))`` is the real
thing. Every write that must not race is one conditional write or one transaction.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from portal.adapters import codec, codec_settings
from portal.adapters.store_delivery import DeliveryRecords
from portal.adapters.store_messages import MessageRecords
from portal.adapters.store_privacy import PrivacyRecords
from portal.adapters.store_records import SmallRecords
from portal.adapters.store_team import TeamRecords, storable_version
from portal.adapters.store_two_step import TwoStepRecords
from portal.adapters.store_waitlist import WaitlistRecords
from portal.adapters.table import (
    Below,
    ConditionFailed,
    Delete,
    Equals,
    Exists,
    NotExists,
    Put,
)
from portal.domain.audit import AuditEvent
from portal.domain.errors import NotFound, SlotTaken, StaleVersion, ValidationError
from portal.domain.messages import SENT, PendingMessage
from portal.domain.model import Appointment, Client, PracticeSettings
from portal.domain.notices import NOTICE_CHANNELS, notice_key
from portal.domain.retention import expired
from portal.domain.timemath import cells
from portal.interfaces import AppointmentChange, AppointmentContext


class Store(MessageRecords, SmallRecords, DeliveryRecords, PrivacyRecords, TwoStepRecords,
            TeamRecords, WaitlistRecords):
    def __init__(self, table, clock=None):
        self.table = table
        self.clock = clock  # for expiry checks; the Container hands over its clock

    # --- expiry: DynamoDB's TTL deletes late, so reads check expires_at themselves -----------
    def now(self) -> datetime:
        return self.clock.now() if self.clock is not None else datetime.now(timezone.utc)

    def live(self, item: dict | None) -> dict | None:
        """The item, or None once its expires_at has passed."""
        return None if expired(item, self.now()) else item

    def live_items(self, items: list[dict]) -> list[dict]:
        now = self.now()
        return [i for i in items if not expired(i, now)]

    def expired_by_now(self) -> Below:
        """A write condition that holds on an item whose time has passed (as if absent)."""
        return Below("expires_at", int(self.now().timestamp()) + 1)

    # --- practice settings ------------------------------------------------------------------
    def get_settings(self) -> PracticeSettings:
        settings = codec_settings.settings_from_item(self.table.get(*codec.SETTINGS_KEY))
        self.last_settings = settings  # the busy page's phone number, without another call
        return settings

    last_settings: PracticeSettings | None = None

    def save_settings(self, settings: PracticeSettings) -> PracticeSettings:
        """Conditional on the version the editor saw; returns the stored settings."""
        from dataclasses import replace

        if not storable_version(settings.version):
            raise StaleVersion("The settings were changed by someone else. Here they are now.")
        condition = NotExists() if settings.version == 0 else Equals("version", settings.version)
        stored = replace(settings, version=settings.version + 1)
        try:
            self.table.put(codec_settings.settings_to_item(stored), condition)
        except ConditionFailed:
            raise StaleVersion("The settings were changed by someone else. Here they are now.") from None
        return stored

    # --- clients ----------------------------------------------------------------------------
    def add_client(self, client: Client):
        try:
            self.table.transact(self._client_writes(client, NotExists()))
        except ConditionFailed:
            raise ValidationError("That client already exists.") from None

    # Flags the client sets (a STOP text, the check-in toggle): only set_client_flags writes
    # them, one attribute at a time, so a therapist's edit made meanwhile cannot undo them.
    CLIENT_OWNED = ("sms_opted_out", "checkins_enabled")
    # Set by SMS delivery events; cleared by services.clients when the number changes.
    EVENT_OWNED = ("sms_unreachable",)
    FLAGS = CLIENT_OWNED + EVENT_OWNED + ("email_blocked",)

    def update_client(self, client: Client):
        """The therapist's edit: every field but the client's own flags, in one UpdateItem."""
        item = codec.client_to_item(client)
        fields = {k: v for k, v in item.items()
                  if k not in ("pk", "sk") + self.CLIENT_OWNED + self.EVENT_OWNED}
        fields.setdefault("gsi2pk", None)  # a removed phone number leaves the phone index
        fields.setdefault("gsi2sk", None)
        lookup = codec.client_email_lookup(client)
        if lookup:  # first: if the update then fails, a spare lookup is harmless; a missing one is not
            self.table.put(lookup)
        try:
            self.table.update(item["pk"], item["sk"], fields)
        except ConditionFailed:
            raise NotFound("No such client.") from None

    def set_client_flags(self, client_id: str, **flags):
        """Change sms_opted_out, checkins_enabled, email_blocked or sms_unreachable without
        touching the rest."""
        unknown = set(flags) - set(self.FLAGS)
        if unknown:
            raise ValueError(f"not a client flag: {sorted(unknown)}")
        try:
            self.table.update(*codec.client_key(client_id), {k: bool(v) for k, v in flags.items()})
        except ConditionFailed:
            raise NotFound("No such client.") from None

    @staticmethod
    def _client_writes(client: Client, condition):
        """The client and its address lookup, together. A lookup left by an old address is
        harmless: clients_by_email checks the address on the client itself."""
        lookup = codec.client_email_lookup(client)
        return [Put(codec.client_to_item(client), condition)] + ([Put(lookup)] if lookup else [])

    def clients_by_email(self, email: str) -> list[Client]:
        address = email.strip().lower()
        ids = [i["client_id"] for i in self.table.query(codec.email_lookup_partition(address))]
        found = self.table.batch_get([codec.client_key(cid) for cid in ids]) if ids else {}
        clients = [codec.client_from_item(item) for item in found.values()]
        return [c for c in clients if c.email.strip().lower() == address]

    def get_client(self, client_id: str) -> Client | None:
        item = self.table.get(*codec.client_key(client_id))
        return codec.client_from_item(item) if item else None

    def list_clients(self, therapist_id: str) -> list[Client]:
        items = self.table.query(codec.therapist_partition(therapist_id), index="by_therapist",
                                 begins=codec.CLIENT_SORT_PREFIX)
        return [codec.client_from_item(i) for i in items]

    def clients_by_phone(self, phone: str) -> list[Client]:
        items = self.table.query(codec.phone_partition(phone), index="by_client")
        return [codec.client_from_item(i) for i in items]

    # --- appointments -----------------------------------------------------------------------
    def get_appointment(self, appointment_id: str, consistent=False) -> Appointment | None:
        item = self.table.get(*codec.appointment_key(appointment_id), consistent=consistent)
        return codec.appointment_from_item(item) if item else None

    def load_context(self, appointment_id, client_id, therapist_id,
                     _reread=False) -> AppointmentContext | None:
        """Appointment, client, therapist, availability, settings and the pending change
        notices: one BatchGetItem."""
        keys = [codec.appointment_key(appointment_id), codec.client_key(client_id),
                codec.therapist_key(therapist_id), codec.availability_key(therapist_id),
                codec.SETTINGS_KEY, codec.waitlist_key(client_id)]
        notice_keys = [codec.message_key(appointment_id, notice_key(c)) for c in NOTICE_CHANNELS]
        found = self.table.batch_get(keys + notice_keys)
        appt_item = found.get(keys[0])
        if not appt_item or keys[1] not in found or keys[2] not in found:
            return None
        appointment = codec.appointment_from_item(appt_item)
        if appointment.client_id != client_id:
            return None  # a token never opens another client's session
        if appointment.therapist_id != therapist_id:
            # Handed to another therapist since the link was made: the client's link still works.
            return None if _reread else self.load_context(appointment_id, client_id,
                                                          appointment.therapist_id, _reread=True)
        return AppointmentContext(
            appointment=appointment,
            client=codec.client_from_item(found[keys[1]]),
            therapist=codec.therapist_from_item(found[keys[2]]),
            availability=codec.availability_from_item(found.get(keys[3])),
            settings=codec_settings.settings_from_item(found.get(keys[4])),
            message_keys=list(appt_item.get("message_keys") or []),
            hold_end=codec.datetime_or_none(appt_item.get("hold_end")),
            pending_notices=[codec.message_from_item(found[k]) for k in notice_keys if k in found],
            waitlist_entry=self.waitlist_from_item(found.get(keys[5])),
        )

    def book(self, appointment: Appointment, hold_end: datetime,
             messages: list[PendingMessage], audit: AuditEvent, extra=()):
        """Store a new session and claim its time cells, all or nothing."""
        claims = self._claims(appointment.therapist_id, appointment.start, hold_end, appointment.id)
        ops = [Put(codec.appointment_to_item(appointment, [m.key for m in messages], hold_end),
                   NotExists())]
        ops += [Put(c, NotExists()) for c in claims]
        ops += [Put(codec.message_to_item(m)) for m in messages]
        ops.append(Put(codec.audit_to_item(audit, _unique())))
        ops += [Put(item) for item in extra]
        try:
            self.table.transact(ops)
        except ConditionFailed as failure:
            if 0 in failure.failed and len(failure.failed) == 1:
                raise ValidationError("That session is already booked.") from None
            raise SlotTaken() from None

    def commit(self, change: AppointmentChange):
        """Apply one change to a session atomically, conditional on the version read."""
        before, after = change.before, change.after
        # Cells are (therapist, cell): a session handed to another therapist (after.therapist_id
        # differs) releases the old therapist's time and claims the new one's, in this transaction.
        old_cells = {(before.therapist_id, c) for c in cells(before.start, change.before_hold_end)} \
            if before.status.is_open else set()
        new_cells = {(after.therapist_id, c) for c in cells(after.start, change.after_hold_end)} \
            if after.status.is_open else set()
        if change.keep_messages:
            new_keys = list(change.before_message_keys)
        else:
            new_keys = [m.key for m in change.messages]
        ops = [Put(codec.appointment_to_item(after, new_keys, change.after_hold_end),
                   Equals("version", before.version))]
        ops += [Delete(*codec.slot_key(tid, c)) for tid, c in sorted(old_cells - new_cells)]
        ops += [Put(_claim(tid, c, after.id), NotExists()) for tid, c in sorted(new_cells - old_cells)]
        claim_range = range(1 + len(old_cells - new_cells), 1 + len(old_cells - new_cells) + len(new_cells - old_cells))
        if not change.keep_messages:
            kept = set(new_keys)
            ops += [Delete(*codec.message_key(before.id, k))
                    for k in change.before_message_keys if k not in kept]
            ops += [Put(codec.message_to_item(m)) for m in change.messages]
        ops.append(Put(codec.audit_to_item(change.audit, _unique())))
        ops += [Put(item) for item in change.extra]
        try:
            self.table.transact(ops)
        except ConditionFailed as failure:
            if 0 in failure.failed:
                raise StaleVersion() from None
            if any(i in claim_range for i in failure.failed):
                raise SlotTaken() from None
            raise

    def record_past_session(self, appointment: Appointment, audit: AuditEvent) -> bool:
        """History brought in as it ended (the demo, an import): no time claims, since the past
        is never offered; the session and its audit event only. False if it already exists."""
        try:
            self.table.put(codec.appointment_to_item(appointment), NotExists())
        except ConditionFailed:
            return False
        self.table.put(codec.audit_to_item(audit, _unique()))
        return True

    # --- imports: many rows at once, in batches, for items that claim no time ------------------
    def add_clients(self, clients: list[Client]) -> set[str]:
        """New clients in BatchWriteItem calls; those already stored are left as they are (a
        client's own flags, such as a STOP, must survive a re-import). Returns the ids written."""
        return self._put_new([(codec.client_key(c.id), [op.item for op in self._client_writes(c, None)])
                              for c in clients])

    def record_past_sessions(self, sessions: list[tuple[Appointment, AuditEvent]]) -> set[str]:
        """record_past_session for many, in batches. Returns the ids written."""
        return self._put_new([(codec.appointment_key(a.id),
                               [codec.appointment_to_item(a), codec.audit_to_item(audit, _unique())])
                              for a, audit in sessions])

    def _put_new(self, entries: list[tuple[tuple, list[dict]]]) -> set[str]:
        """entries: (key of the main item, its items). Skips those whose main item exists."""
        unique = dict(reversed(entries))  # a key given twice: its first entry counts
        found = self.table.batch_get(list(unique))
        new = {key: items for key, items in unique.items() if key not in found}
        self.table.put_many([item for items in new.values() for item in items])
        return {items[0]["id"] for items in new.values()}

    def _claims(self, therapist_id, start, hold_end, appointment_id):
        return [_claim(therapist_id, c, appointment_id) for c in cells(start, hold_end)]

    def therapist_appointments(self, therapist_id, start: datetime, end: datetime) -> list[Appointment]:
        items = self.table.query(codec.therapist_partition(therapist_id), index="by_therapist",
                                 between=codec.appointment_range(start, end))
        return [codec.appointment_from_item(i) for i in items]

    def client_appointments(self, client_id, start: datetime, end: datetime) -> list[Appointment]:
        items = self.table.query(codec.client_partition(client_id), index="by_client",
                                 between=codec.appointment_range(start, end))
        return [codec.appointment_from_item(i) for i in items]

    def audit_trail(self, appointment_id) -> list[AuditEvent]:
        items = self.table.query(codec.appointment_partition(appointment_id), begins=codec.AUDIT_PREFIX)
        return [codec.audit_from_item(i) for i in items]

    def messages_of(self, appointment_id) -> list[PendingMessage]:
        items = self.table.query(codec.appointment_partition(appointment_id),
                                 begins=codec.MESSAGE_PREFIX, consistent=True)
        return [codec.message_from_item(i) for i in items]

    # --- therapist inbox ----------------------------------------------------------------
    @staticmethod
    def inbox_record(item) -> dict:
        """The record for an inbox item: pass it as ``extra`` to write it with a change."""
        return codec.inbox_to_item(item)

    def add_inbox(self, item):
        self.table.put(codec.inbox_to_item(item), NotExists())

    def inbox(self, therapist_id: str, limit: int = 100):
        """Newest first."""
        items = self.table.query(codec.therapist_partition(therapist_id), begins=codec.INBOX_PREFIX,
                                 reverse=True, limit=limit)
        return [codec.inbox_from_item(i) for i in items]

    def mark_inbox_handled(self, item) -> None:
        from dataclasses import replace

        try:
            self.table.put(codec.inbox_to_item(replace(item, handled=True)), Exists())
        except ConditionFailed:
            raise NotFound("That message is no longer there.") from None


def _claim(therapist_id, cell, appointment_id):
    pk, sk = codec.slot_key(therapist_id, cell)
    return {"pk": pk, "sk": sk, "type": "slot", "appointment_id": appointment_id}


def _unique() -> str:
    return uuid.uuid4().hex[:8]


__all__ = ["Store", "AppointmentContext", "AppointmentChange", "SENT"]
