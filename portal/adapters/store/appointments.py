"""Sessions: booking and every change as one transaction with its time claims, messages and
audit event; the calendars; history brought in as it ended."""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from portal.adapters.codec import keys, people, sessions
from portal.adapters.codec import settings as codec_settings
from portal.adapters.store.base import StoreBase
from portal.adapters.store.waitlist import WaitlistRecords
from portal.adapters.tables import ConditionFailed, Delete, Equals, Item, NotExists, Operation, Put
from portal.domain.audit import AuditEvent
from portal.domain.errors import SlotTaken, StaleVersion, ValidationError
from portal.domain.messages import PendingMessage
from portal.domain.model import Appointment
from portal.domain.notices import NOTICE_CHANNELS, notice_key
from portal.domain.timemath import cells
from portal.interfaces import AppointmentChange, AppointmentContext, StoreRecord


class AppointmentRecords(StoreBase):
    # --- appointments -----------------------------------------------------------------------
    def get_appointment(self, appointment_id: str, consistent: bool = False) -> Appointment | None:
        item = self.table.get(*keys.appointment_key(appointment_id), consistent=consistent)
        return sessions.appointment_from_item(item) if item else None

    def load_context(self, appointment_id: str, client_id: str, therapist_id: str,
                     _reread: bool = False) -> AppointmentContext | None:
        """Appointment, client, therapist, availability, settings and the pending change
        notices: one BatchGetItem."""
        wanted = [keys.appointment_key(appointment_id), keys.client_key(client_id),
                keys.therapist_key(therapist_id), keys.availability_key(therapist_id),
                keys.SETTINGS_KEY, keys.waitlist_key(client_id)]
        notice_keys = [keys.message_key(appointment_id, notice_key(c)) for c in NOTICE_CHANNELS]
        found = self.table.batch_get(wanted + notice_keys)
        appt_item = found.get(wanted[0])
        if not appt_item or wanted[1] not in found or wanted[2] not in found:
            return None
        appointment = sessions.appointment_from_item(appt_item)
        if appointment.client_id != client_id:
            return None  # a token never opens another client's session
        if appointment.therapist_id != therapist_id:
            # Handed to another therapist since the link was made: the client's link still works.
            return None if _reread else self.load_context(appointment_id, client_id,
                                                          appointment.therapist_id, _reread=True)
        return AppointmentContext(
            appointment=appointment,
            client=people.client_from_item(found[wanted[1]]),
            therapist=people.therapist_from_item(found[wanted[2]]),
            availability=people.availability_from_item(found.get(wanted[3])),
            settings=codec_settings.settings_from_item(found.get(wanted[4])),
            message_keys=list(appt_item.get("message_keys") or []),
            hold_end=sessions.datetime_or_none(appt_item.get("hold_end")),
            pending_notices=[sessions.message_from_item(found[k]) for k in notice_keys if k in found],
            waitlist_entry=WaitlistRecords.waitlist_from_item(found.get(wanted[5])),
        )

    def book(self, appointment: Appointment, hold_end: datetime,
             messages: list[PendingMessage], audit: AuditEvent,
             extra: Iterable[StoreRecord] = ()) -> None:
        """Store a new session and claim its time cells, all or nothing."""
        claims = self._claims(appointment.therapist_id, appointment.start, hold_end, appointment.id)
        ops: list[Operation] = [Put(sessions.appointment_to_item(appointment, [m.key for m in messages], hold_end),
                   NotExists())]
        ops += [Put(c, NotExists()) for c in claims]
        ops += [Put(sessions.message_to_item(m)) for m in messages]
        ops.append(Put(sessions.audit_to_item(audit, _unique())))
        ops += [Put(record.item) for record in extra]
        try:
            self.table.transact(ops)
        except ConditionFailed as failure:
            if 0 in failure.failed and len(failure.failed) == 1:
                raise ValidationError("That session is already booked.") from None
            raise SlotTaken() from None

    def commit(self, change: AppointmentChange) -> None:
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
        ops: list[Operation] = [Put(sessions.appointment_to_item(after, new_keys, change.after_hold_end),
                   Equals("version", before.version))]
        ops += [Delete(*keys.slot_key(tid, c)) for tid, c in sorted(old_cells - new_cells)]
        ops += [Put(_claim(tid, c, after.id), NotExists()) for tid, c in sorted(new_cells - old_cells)]
        claim_range = range(1 + len(old_cells - new_cells), 1 + len(old_cells - new_cells) + len(new_cells - old_cells))
        if not change.keep_messages:
            kept = set(new_keys)
            ops += [Delete(*keys.message_key(before.id, k))
                    for k in change.before_message_keys if k not in kept]
            ops += [Put(sessions.message_to_item(m)) for m in change.messages]
        ops.append(Put(sessions.audit_to_item(change.audit, _unique())))
        ops += [Put(record.item) for record in change.extra]
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
            self.table.put(sessions.appointment_to_item(appointment), NotExists())
        except ConditionFailed:
            return False
        self.table.put(sessions.audit_to_item(audit, _unique()))
        return True

    # --- imports: many rows at once, in batches, for items that claim no time ------------------

    def record_past_sessions(self, past: list[tuple[Appointment, AuditEvent]]) -> set[str]:
        """record_past_session for many, in batches. Returns the ids written."""
        return self._put_new([(keys.appointment_key(a.id),
                               [sessions.appointment_to_item(a), sessions.audit_to_item(audit, _unique())])
                              for a, audit in past])

    def _claims(self, therapist_id: str, start: datetime, hold_end: datetime, appointment_id: str) -> list[Item]:
        return [_claim(therapist_id, c, appointment_id) for c in cells(start, hold_end)]

    def therapist_appointments(self, therapist_id: str, start: datetime, end: datetime) -> list[Appointment]:
        items = self.table.query(keys.therapist_partition(therapist_id), index="by_therapist",
                                 between=keys.appointment_range(start, end))
        return [sessions.appointment_from_item(i) for i in items]

    def client_appointments(self, client_id: str, start: datetime, end: datetime) -> list[Appointment]:
        items = self.table.query(keys.client_partition(client_id), index="by_client",
                                 between=keys.appointment_range(start, end))
        return [sessions.appointment_from_item(i) for i in items]

    def audit_trail(self, appointment_id: str) -> list[AuditEvent]:
        items = self.table.query(keys.appointment_partition(appointment_id), begins=keys.AUDIT_PREFIX)
        return [sessions.audit_from_item(i) for i in items]

    def messages_of(self, appointment_id: str) -> list[PendingMessage]:
        items = self.table.query(keys.appointment_partition(appointment_id),
                                 begins=keys.MESSAGE_PREFIX, consistent=True)
        return [sessions.message_from_item(i) for i in items]

    # --- a note on a session's history (nothing else changes) --------------------------------
    def add_audit(self, event: AuditEvent) -> None:
        """One PutItem under the session; its id makes two notes in one second both stay."""
        self.table.put(sessions.audit_to_item(event, uuid.uuid4().hex[:8]))


def _claim(therapist_id: str, cell: str, appointment_id: str) -> Item:
    pk, sk = keys.slot_key(therapist_id, cell)
    return {"pk": pk, "sk": sk, "type": "slot", "appointment_id": appointment_id}


def _unique() -> str:
    return uuid.uuid4().hex[:8]

