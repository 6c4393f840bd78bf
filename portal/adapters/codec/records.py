"""Small records to items and back: run cursors, check-in answers, inbound-event locks.
(Their keys are built in codec.py, with every other key.)"""
from __future__ import annotations

from datetime import datetime

from portal.adapters.codec.keys import CHECKIN_PREFIX, checkin_key, cursor_key, inbound_key
from portal.adapters.tables import Item
from portal.domain.checkins import CheckIn
from portal.domain.timemath import iso_utc, parse_utc


def cursor_to_item(lane: str, at: datetime) -> Item:
    pk, sk = cursor_key(lane)
    return {"pk": pk, "sk": sk, "type": "cursor", "at": iso_utc(at)}


def cursor_from_item(item: Item | None) -> datetime | None:
    # "bucket_start": what the reminders lane wrote before cursors shared one shape.
    text = (item or {}).get("at") or (item or {}).get("bucket_start")
    return parse_utc(text) if text else None


def checkin_to_item(client_id: str, answer: CheckIn, appointment_id: str, therapist_id: str) -> Item:
    pk, sk = checkin_key(client_id, answer.at)
    return {"pk": pk, "sk": sk, "type": "checkin", "score": answer.score, "barrier": answer.barrier,
            "note": answer.note, "appointment_id": appointment_id, "therapist_id": therapist_id,
            "at": iso_utc(answer.at)}


def checkin_from_item(item: Item) -> CheckIn | None:
    """None for a malformed record: no reason to hide a dashboard."""
    try:
        return CheckIn(parse_utc(item["sk"].removeprefix(CHECKIN_PREFIX)), int(item["score"]),
                       item.get("barrier"), item.get("note") or "")
    except (KeyError, ValueError, TypeError):
        return None


def inbound_to_item(source: str, message_id: str, status: str, owner: str,
                    lock_until: datetime | None, expires_at: int) -> Item:
    pk, sk = inbound_key(source, message_id)
    return {"pk": pk, "sk": sk, "type": "inbound", "status": status, "holder": owner,
            "lock_until": iso_utc(lock_until) if lock_until else None, "expires_at": expires_at}
