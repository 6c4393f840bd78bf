"""The store's privacy records: the access log (read audits), a client's whole record for an
export, and the erasure of a client's identifying data.

A part of ``Store`` (on ``StoreBase``: the table and the clock). Every read here is a Query on the client's own
partition, the client's index, a session's partition or the therapist's inbox: never a Scan.
"""
from __future__ import annotations

import uuid

from portal.adapters.codec import keys, sessions
from portal.adapters.codec import privacy as records
from portal.adapters.codec import records as codec_records
from portal.adapters.store.base import StoreBase
from portal.adapters.tables import ConditionFailed, Exists, Item, NotExists
from portal.domain.audit import AuditEvent
from portal.domain.checkins import CheckIn
from portal.domain.messages import PendingMessage
from portal.domain.model import Appointment, InboxItem
from portal.domain.privacy import AccessEvent, Tombstone

# What erasure removes from a session's own records: free text a person wrote or was sent.
FREE_TEXT = ("note", "text", "body", "answer", "message")
# Copies of the client's name kept for cheap reads (the therapist's calendar feed).
NAME_COPIES = ("client_label",)


class PrivacyRecords(StoreBase):
    # --- the access log: append-only ---------------------------------------------------------
    def record_access(self, event: AccessEvent) -> None:
        """One PutItem. Never overwrites: the Lambda role may not update or delete these."""
        self.table.put(records.access_to_item(event, uuid.uuid4().hex[:8]), NotExists())

    def access_log(self, client_id: str, limit: int, older_than: str = "") -> tuple[list[AccessEvent], str]:
        """One page, newest first, and the mark where the next (older) page starts ("" if none)."""
        pk = keys.access_log_partition(client_id)
        if older_than:
            items = self.table.query(pk, between=("0", older_than), reverse=True, limit=limit + 1)
            items = [i for i in items if i["sk"] != older_than][:limit + 1]
        else:
            items = self.table.query(pk, reverse=True, limit=limit + 1)
        items = self.live_items(items)
        more = len(items) > limit
        items = items[:limit]
        mark = records.access_page_mark(items[-1]) if more and items else ""
        return [records.access_from_item(i) for i in items], mark

    def whole_access_log(self, client_id: str) -> list[AccessEvent]:
        items = self.live_items(self.table.query(keys.access_log_partition(client_id), reverse=True))
        return [records.access_from_item(i) for i in items]

    # --- what an export reads ----------------------------------------------------------------
    def all_client_sessions(self, client_id: str) -> list[Appointment]:
        """Every session of the client, oldest first: the client's index (pages followed)."""
        items = self.table.query(keys.client_partition(client_id), index="by_client",
                                 begins=keys.APPOINTMENT_SORT_PREFIX)
        return [sessions.appointment_from_item(i) for i in items]

    def session_records(self, appointment_id: str) -> tuple[list[AuditEvent], list[PendingMessage]]:
        """A session's history and messages: one Query of its partition."""
        items = self.live_items(self.table.query(keys.appointment_partition(appointment_id)))
        history = [sessions.audit_from_item(i) for i in items if i["sk"].startswith(keys.AUDIT_PREFIX)]
        messages = [sessions.message_from_item(i) for i in items if i["sk"].startswith(keys.MESSAGE_PREFIX)]
        return history, messages

    def all_checkins(self, client_id: str) -> list[CheckIn]:
        items = self.table.query(keys.client_partition(client_id), begins=keys.CHECKIN_PREFIX)
        return [a for a in (codec_records.checkin_from_item(i) for i in items) if a is not None]

    def client_inbox(self, therapist_id: str, client_id: str) -> list[InboxItem]:
        """What the client told their therapist: the therapist's inbox, this client's items."""
        items = self.table.query(keys.therapist_partition(therapist_id), begins=keys.INBOX_PREFIX)
        return [sessions.inbox_from_item(i) for i in items if i.get("client_id") == client_id]

    # --- erasure -----------------------------------------------------------------------------
    def tombstone(self, client_id: str) -> Tombstone | None:
        return records.tombstone_from_item(self.table.get(*keys.tombstone_key(client_id), consistent=True))

    def erase_client_profile(self, client_id: str, email: str, stone: Tombstone) -> bool:
        """Names and contact details gone, then the tombstone laid (each step repeatable, so a
        run cut short can be run again); False if the tombstone was there already."""
        if email:
            self.table.delete(keys.email_lookup_partition(email), f"{keys.CLIENT_SORT_PREFIX}{client_id}")
        pk, sk = keys.client_key(client_id)
        self.table.update(pk, sk, {
            "first_name": "Erased", "last_name": "", "email": "", "phone": "", "erased": True,
            "channels": [], "sms_consent": False, "gsi2pk": None, "gsi2sk": None,
            "gsi1sk": f"{keys.CLIENT_SORT_PREFIX}~erased#{client_id}",
        }, Exists())
        try:
            self.table.put(records.tombstone_to_item(stone), NotExists())
        except ConditionFailed:
            return False
        return True

    def erase_session_text(self, appointment_id: str) -> None:
        """A session keeps its times and status (the figures), loses any free text: its note,
        its messages' details and free text in its history."""
        for item in self.table.query(keys.appointment_partition(appointment_id)):
            fields: Item = {name: None for name in FREE_TEXT + NAME_COPIES if item.get(name)}
            if item["sk"].startswith(keys.MESSAGE_PREFIX) and item.get("detail"):
                fields["detail"] = None
            detail = item.get("detail") if item["sk"].startswith(keys.AUDIT_PREFIX) else None
            if isinstance(detail, dict) and any(k in detail for k in FREE_TEXT):
                fields["detail"] = {k: v for k, v in detail.items() if k not in FREE_TEXT}
            if fields:
                self.table.update(item["pk"], item["sk"], fields)

    def erase_checkins(self, client_id: str) -> int:
        items = self.table.query(keys.client_partition(client_id), begins=keys.CHECKIN_PREFIX)
        for item in items:
            self.table.delete(item["pk"], item["sk"])
        self.table.delete(*keys.latest_checkin_key(client_id))  # the dashboard's copy of the newest
        return len(items)

    def erase_inbox_text(self, therapist_id: str, client_id: str) -> None:
        items = self.table.query(keys.therapist_partition(therapist_id), begins=keys.INBOX_PREFIX)
        for item in items:
            if item.get("client_id") == client_id and item.get("text"):
                self.table.update(item["pk"], item["sk"], {"text": None})
