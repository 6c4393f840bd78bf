"""The store's side for delivery status (sent messages found by the provider's id, their
outcomes, a session's messages read with its history in one Query) and the therapist's
private calendar feed (its key, and the key with the sessions ahead in one Query).

A mixin of ``Store`` (it uses ``self.table``).
"""
from __future__ import annotations

from datetime import datetime

from portal.adapters import codec, codec_delivery
from portal.adapters.table import Below, ConditionFailed
from portal.domain.delivery import OUTCOME_RANK, SentRef


class DeliveryRecords:
    def sent_message(self, provider_id: str) -> SentRef | None:
        """The message a provider's id names (one GetItem); None when unknown or expired."""
        if not provider_id or len(provider_id) > 200:
            return None
        return codec_delivery.sent_ref_from_item(self.live(self.table.get(*codec.sent_lookup_key(provider_id))))

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

    def history_and_messages(self, appointment_id: str):
        """The session's audit events and its messages with their outcomes: one Query over
        the session's partition (AUDIT#... up to MSG#...)."""
        items = self.live_items(self.table.query(codec.appointment_partition(appointment_id),
                                                 between=(codec.AUDIT_PREFIX, codec.MESSAGE_PREFIX + "~"),
                                                 consistent=True))
        audit = [codec.audit_from_item(i) for i in items if codec.is_type(i, "audit")]
        messages = [(codec.message_from_item(i), codec_delivery.outcome_of(i))
                    for i in items if codec.is_type(i, "message")]
        return audit, messages

    # --- the therapist's private calendar feed -------------------------------------------
    def feed_key(self, therapist_id: str) -> str:
        item = self.table.get(*codec.feed_key_key(therapist_id))
        return (item or {}).get("feed_key", "")

    def set_feed_key(self, therapist_id: str, feed_key: str) -> None:
        """Rotating the key: URLs signed over the old one stop working at once."""
        pk, sk = codec.feed_key_key(therapist_id)
        self.table.put({"pk": pk, "sk": sk, "type": "feed_key", "feed_key": feed_key,
                        "gsi1pk": codec.therapist_partition(therapist_id), "gsi1sk": codec.FEED_KEY_SORT})

    def feed_sessions(self, therapist_id: str, since: datetime):
        """(the feed key, the sessions from ``since``): one Query of the calendar index."""
        lower = codec.appointment_range(since, since)[0]
        items = self.table.query(codec.therapist_partition(therapist_id), index="by_therapist",
                                 between=(lower, codec.FEED_KEY_SORT))
        key = next((i.get("feed_key", "") for i in items if codec.is_type(i, "feed_key")), "")
        sessions = [codec.appointment_from_item(i) for i in items if codec.is_type(i, "appointment")]
        return key, sessions
