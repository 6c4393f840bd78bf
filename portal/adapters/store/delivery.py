"""The store's side for delivery status (sent messages found by the provider's id, their
outcomes, a session's messages read with its history in one Query) and the therapist's
private calendar feed (its key, and the key with the sessions ahead in one Query).

A part of ``Store`` (on ``StoreBase``: the table and the clock).
"""
from __future__ import annotations

from datetime import datetime

from portal.adapters.codec import delivery as codec_delivery
from portal.adapters.codec import keys, sessions
from portal.adapters.store.base import StoreBase
from portal.adapters.tables import Below, ConditionFailed
from portal.domain.audit import AuditEvent
from portal.domain.delivery import OUTCOME_RANK, SentRef
from portal.domain.messages import PendingMessage
from portal.domain.model import Appointment


class DeliveryRecords(StoreBase):
    def sent_message(self, provider_id: str) -> SentRef | None:
        """The message a provider's id names (one GetItem); None when unknown or expired."""
        if not provider_id or len(provider_id) > 200:
            return None
        return codec_delivery.sent_ref_from_item(self.live(self.table.get(*keys.sent_lookup_key(provider_id))))

    def record_delivery(self, ref: SentRef, outcome: str) -> bool:
        """Raise the message's outcome (one conditional UpdateItem). False when the report
        would lower it, or the message is gone (its session moved or was cancelled)."""
        try:
            self.table.update(*codec_delivery.message_item_key(ref),
                              codec_delivery.outcome_fields(outcome),
                              Below(codec_delivery.RANK, OUTCOME_RANK[outcome]))
            return True
        except ConditionFailed:
            return False

    def history_and_messages(self, appointment_id: str
                             ) -> tuple[list[AuditEvent], list[tuple[PendingMessage, str]]]:
        """The session's audit events and its messages with their outcomes: one Query over
        the session's partition (AUDIT#... up to MSG#...)."""
        items = self.live_items(self.table.query(keys.appointment_partition(appointment_id),
                                                 between=(keys.AUDIT_PREFIX, keys.MESSAGE_PREFIX + "~"),
                                                 consistent=True))
        audit = [sessions.audit_from_item(i) for i in items if sessions.is_type(i, "audit")]
        messages = [(sessions.message_from_item(i), codec_delivery.outcome_of(i))
                    for i in items if sessions.is_type(i, "message")]
        return audit, messages

    # --- the therapist's private calendar feed -------------------------------------------
    def feed_key(self, therapist_id: str) -> str:
        item = self.table.get(*keys.feed_key_key(therapist_id))
        return (item or {}).get("feed_key", "")

    def set_feed_key(self, therapist_id: str, feed_key: str) -> None:
        """Rotating the key: URLs signed over the old one stop working at once."""
        pk, sk = keys.feed_key_key(therapist_id)
        self.table.put({"pk": pk, "sk": sk, "type": "feed_key", "feed_key": feed_key,
                        "gsi1pk": keys.therapist_partition(therapist_id), "gsi1sk": keys.FEED_KEY_SORT})

    def feed_sessions(self, therapist_id: str, since: datetime) -> tuple[str, list[Appointment]]:
        """(the feed key, the sessions from ``since``): one Query of the calendar index."""
        lower = keys.appointment_range(since, since)[0]
        items = self.table.query(keys.therapist_partition(therapist_id), index="by_therapist",
                                 between=(lower, keys.FEED_KEY_SORT))
        key = next((i.get("feed_key", "") for i in items if sessions.is_type(i, "feed_key")), "")
        ahead = [sessions.appointment_from_item(i) for i in items if sessions.is_type(i, "appointment")]
        return key, ahead
