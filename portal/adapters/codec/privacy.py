"""Privacy records to table items and back: access-log events and erasure tombstones.
The keys come from ``codec``'s key section."""
from __future__ import annotations

from portal.adapters.codec import keys
from portal.adapters.tables import Item
from portal.domain.privacy import AUDIT_RETENTION, AccessEvent, Tombstone, expiry_epoch
from portal.domain.timemath import iso_utc, parse_utc


def access_to_item(event: AccessEvent, unique: str) -> Item:
    return {
        "pk": keys.access_log_partition(event.client_id), "sk": f"{iso_utc(event.at)}#{unique}",
        "type": "access", "client_id": event.client_id, "at": iso_utc(event.at),
        "viewer_id": event.viewer_id, "what": event.what, "ref": event.ref or None,
        "ip": event.ip or None, "expires_at": expiry_epoch(event.at, AUDIT_RETENTION),
    }


def access_from_item(item: Item) -> AccessEvent:
    return AccessEvent(item["client_id"], parse_utc(item["at"]), item["viewer_id"], item["what"],
                       item.get("ref") or "", item.get("ip") or "")


def access_page_mark(item: Item) -> str:
    """Where the next (older) page of the access log starts: this item's sort key."""
    return item["sk"]


def tombstone_to_item(stone: Tombstone) -> Item:
    pk, sk = keys.tombstone_key(stone.client_id)
    return {"pk": pk, "sk": sk, "type": "tombstone", "client_id": stone.client_id,
            "erased_at": iso_utc(stone.erased_at), "erased_by": stone.erased_by}


def tombstone_from_item(item: Item | None) -> Tombstone | None:
    if not item:
        return None
    return Tombstone(item["client_id"], parse_utc(item["erased_at"]), item["erased_by"])
