"""Waitlist entries and openings to table items and back (keys: ``codec``)."""
from __future__ import annotations

from datetime import datetime

from portal.adapters.codec import keys
from portal.adapters.tables import Item
from portal.domain.model import Mode
from portal.domain.timemath import iso_utc, parse_utc
from portal.domain.waitlist import OfferRef, OfferSent, Opening, WaitlistEntry, WaitlistPrefs


def _opt(text: str | None) -> datetime | None:
    return parse_utc(text) if text else None


def entry_to_item(e: WaitlistEntry) -> Item:
    pk, sk = keys.waitlist_key(e.client_id)
    return {
        "pk": pk, "sk": sk, "type": "waitlist", "client_id": e.client_id,
        "therapist_id": e.therapist_id, "timezone": e.timezone,
        "weekdays": sorted(e.prefs.weekdays), "parts": sorted(e.prefs.parts),
        "mode": e.prefs.mode.value if e.prefs.mode else None, "notice_hours": e.prefs.notice_hours,
        "joined_at": iso_utc(e.joined_at), "until": iso_utc(e.expires_at),
        "appointment_id": e.appointment_id or None,
        "current_start": iso_utc(e.current_start) if e.current_start else None,
        "offer": ({"opening": e.offer.opening_id, "until": iso_utc(e.offer.until)}
                  if e.offer else None),
        "added_by": e.added_by, "name": e.name,
        # Sparse: only entries sit in the therapist's W# range; DynamoDB's TTL removes it late,
        # so the code checks ``until`` itself.
        "gsi1pk": keys.therapist_partition(e.therapist_id),
        "gsi1sk": f"{keys.WAITLIST_SORT_PREFIX}{iso_utc(e.joined_at)}#{e.client_id}",
        "expires_at": int(e.expires_at.timestamp()) + 86400,
    }


def entry_from_item(item: Item) -> WaitlistEntry:
    offer = item.get("offer")
    return WaitlistEntry(
        client_id=item["client_id"], therapist_id=item["therapist_id"], timezone=item["timezone"],
        prefs=WaitlistPrefs(weekdays=frozenset(int(d) for d in item["weekdays"]),
                            parts=frozenset(item["parts"]),
                            mode=Mode(item["mode"]) if item.get("mode") else None,
                            notice_hours=int(item["notice_hours"])),
        joined_at=parse_utc(item["joined_at"]), expires_at=parse_utc(item["until"]),
        appointment_id=item.get("appointment_id") or "",
        current_start=_opt(item.get("current_start")),
        offer=OfferRef(offer["opening"], parse_utc(offer["until"])) if offer else None,
        added_by=item.get("added_by", "client"), name=item.get("name", ""),
    )


def opening_to_item(o: Opening) -> Item:
    pk, sk = keys.opening_key(o.id)
    return {
        "pk": pk, "sk": sk, "type": "opening", "id": o.id, "therapist_id": o.therapist_id,
        "start": iso_utc(o.start), "end": iso_utc(o.end), "modes": sorted(m.value for m in o.modes),
        "source_appointment_id": o.source_appointment_id, "freed_at": iso_utc(o.freed_at),
        "reason": o.reason, "status": o.status, "wave": o.wave,
        "offers": [{"client": s.client_id, "wave": s.wave, "at": iso_utc(s.at), "channel": s.channel}
                   for s in o.offers],
        "claimed_by": o.claimed_by or None,
        "claimed_at": iso_utc(o.claimed_at) if o.claimed_at else None,
        "claimed_appointment_id": o.claimed_appointment_id or None,
        "days_gained": str(round(o.days_gained, 3)) if o.days_gained is not None else None,
        "version": o.version,
        "gsi1pk": keys.therapist_partition(o.therapist_id),
        "gsi1sk": f"{keys.OPENING_SORT_PREFIX}{iso_utc(o.start)}#{o.id}",
    }


def opening_from_item(item: Item) -> Opening:
    return Opening(
        id=item["id"], therapist_id=item["therapist_id"], start=parse_utc(item["start"]),
        end=parse_utc(item["end"]), modes=frozenset(Mode(m) for m in item["modes"]),
        source_appointment_id=item["source_appointment_id"], freed_at=parse_utc(item["freed_at"]),
        reason=item.get("reason", "cancelled"), status=item["status"], wave=int(item.get("wave", 0)),
        offers=tuple(OfferSent(s["client"], int(s["wave"]), parse_utc(s["at"]), s["channel"])
                     for s in item.get("offers") or []),
        claimed_by=item.get("claimed_by") or "", claimed_at=_opt(item.get("claimed_at")),
        claimed_appointment_id=item.get("claimed_appointment_id") or "",
        days_gained=float(item["days_gained"]) if item.get("days_gained") else None,
        version=int(item.get("version", 0)),
    )


def opening_range(start: datetime, end: datetime) -> tuple[str, str]:
    """Openings whose time starts in [start, end], on the by_therapist index."""
    prefix = keys.OPENING_SORT_PREFIX
    return f"{prefix}{iso_utc(start)}", f"{prefix}{iso_utc(end)}~"
