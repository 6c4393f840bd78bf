"""The copy of a client's newest check-in answer: item mapping (the key is in codec)."""
from __future__ import annotations

from portal.adapters.codec import keys
from portal.adapters.tables import Item
from portal.domain.checkins import CheckIn
from portal.domain.timemath import iso_utc, parse_utc


def latest_to_item(client_id: str, answer: CheckIn) -> Item:
    pk, sk = keys.latest_checkin_key(client_id)
    return {"pk": pk, "sk": sk, "type": "latest_checkin", "score": answer.score,
            "barrier": answer.barrier, "note": answer.note, "at": iso_utc(answer.at)}


def latest_from_item(item: Item | None) -> CheckIn | None:
    """None when absent or malformed: no reason to hide a dashboard."""
    if not item:
        return None
    try:
        return CheckIn(parse_utc(item["at"]), int(item["score"]), item.get("barrier"), item.get("note") or "")
    except (KeyError, ValueError, TypeError):
        return None
