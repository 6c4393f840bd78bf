"""Item mapping of a session's earlier time (``MovedFrom``): a small map on the session item."""
from __future__ import annotations

from portal.domain.moves import MovedFrom
from portal.domain.timemath import iso_utc, parse_utc


def moved_from_to_item(moved: MovedFrom | None) -> dict[str, object] | None:
    if moved is None:
        return None
    return {"start": iso_utc(moved.start), "mode": moved.mode, "version": moved.version,
            "status": moved.status, "confirmed_via": moved.confirmed_via}


def moved_from_of(value: object) -> MovedFrom | None:
    if not isinstance(value, dict) or not value.get("start"):
        return None
    return MovedFrom(parse_utc(value["start"]), str(value.get("mode", "")), int(value.get("version", 0)),
                     status=str(value.get("status", "")), confirmed_via=str(value.get("confirmed_via", "")))
