"""Delivery records to items and back: the sent-message lookup and a message's outcome."""
from __future__ import annotations

from datetime import timedelta

from portal.adapters.codec.keys import message_key, sent_lookup_key
from portal.adapters.tables import Item, Key
from portal.domain.delivery import OUTCOME_RANK, SentRef
from portal.domain.messages import SENT, PendingMessage

LOOKUP_KEEP = timedelta(days=30)  # SES and SMS events arrive within hours; a month is ample
OUTCOME, RANK = "delivery", "delivery_rank"  # attributes of a sent message's item


def sent_lookup_item(message: PendingMessage, provider_id: str) -> Item:
    """Written with the message marked sent; DynamoDB's TTL removes it after a month."""
    pk, sk = sent_lookup_key(provider_id)
    return {"pk": pk, "sk": sk, "type": "sent_lookup", "appointment_id": message.appointment_id,
            "message_key": message.key, "client_id": message.detail.get("client") or "",
            "channel": message.channel.value, "expires_at": int((message.due_at + LOOKUP_KEEP).timestamp())}


def sent_ref_from_item(item: Item | None) -> SentRef | None:
    if not item:
        return None
    return SentRef(item["appointment_id"], item["message_key"], item.get("client_id") or "",
                   item.get("channel") or "")


def with_sent_outcome(item: Item) -> Item:
    """A sent message starts at rank "sent", so later reports can only raise it."""
    return {**item, OUTCOME: SENT, RANK: OUTCOME_RANK[SENT]}


def outcome_fields(outcome: str) -> Item:
    return {OUTCOME: outcome, RANK: OUTCOME_RANK[outcome]}


def outcome_of(item: Item) -> str:
    return item.get(OUTCOME) or ""


def message_item_key(ref: SentRef) -> Key:
    return message_key(ref.appointment_id, ref.message_key)
