"""Therapists, their availability and clients to table items and back (keys: ``keys``)."""
from __future__ import annotations

from datetime import date, time

from portal.adapters.codec import keys
from portal.adapters.tables import Item
from portal.domain.model import (
    Availability,
    AvailabilityWindow,
    Channel,
    Client,
    Mode,
    Therapist,
    TimeOff,
)


def _clock_time(text: str) -> time:
    return time.fromisoformat(text)


# --- therapists ----------------------------------------------------------------------------
def therapist_to_item(t: Therapist) -> Item:
    pk, sk = keys.therapist_key(t.id)
    return {
        "pk": pk, "sk": sk, "type": "therapist", "id": t.id, "name": t.name, "email": t.email,
        "timezone": t.timezone, "session_minutes": t.session_minutes,
        "buffer_minutes": t.buffer_minutes, "tele_room_url": t.tele_room_url, "role": t.role,
        "password_hash": t.password_hash, "active": t.active,
        # Listed through the by_therapist index under one practice-wide key.
        "gsi1pk": keys.THERAPISTS, "gsi1sk": t.email.lower(),
    }


def therapist_from_item(item: Item) -> Therapist:
    return Therapist(
        id=item["id"], name=item["name"], email=item["email"], timezone=item["timezone"],
        session_minutes=item["session_minutes"], buffer_minutes=item["buffer_minutes"],
        tele_room_url=item.get("tele_room_url", ""), role=item.get("role", "therapist"),
        password_hash=item.get("password_hash", ""),
        # Written only by Store.set_session_key (never by a profile write), so a page read
        # before a sign-out cannot put back a revoked key.
        session_key=item.get("session_key", ""),
        # Likewise written only by the store's two-step methods (adapters/store/two_step.py).
        totp_secret=item.get("totp_secret", ""), totp_last_step=int(item.get("totp_last_step", 0)),
        recovery_hashes=tuple(item.get("totp_recovery") or ()),
        active=item.get("active", True),  # written only by Store.set_therapist_active after add
    )


def availability_to_item(therapist_id: str, a: Availability) -> Item:
    pk, sk = keys.availability_key(therapist_id)
    return {
        "pk": pk, "sk": sk, "type": "availability", "version": a.version,
        "windows": [
            {"weekday": w.weekday, "start": w.start.strftime("%H:%M"), "end": w.end.strftime("%H:%M"),
             "modes": sorted(m.value for m in w.modes)}
            for w in a.windows
        ],
        "time_off": [
            {"first": o.first_day.isoformat(), "last": o.last_day.isoformat(), "reason": o.reason}
            for o in a.time_off
        ],
    }


def availability_from_item(item: Item | None) -> Availability:
    if not item:
        return Availability()
    return Availability(
        windows=tuple(
            AvailabilityWindow(w["weekday"], _clock_time(w["start"]), _clock_time(w["end"]),
                               frozenset(Mode(m) for m in w["modes"]))
            for w in item.get("windows", [])
        ),
        time_off=tuple(
            TimeOff(date.fromisoformat(o["first"]), date.fromisoformat(o["last"]), o.get("reason", ""))
            for o in item.get("time_off", [])
        ),
        version=item.get("version", 0),
    )


# --- clients -------------------------------------------------------------------------------
def client_to_item(c: Client) -> Item:
    pk, sk = keys.client_key(c.id)
    item = {
        "pk": pk, "sk": sk, "type": "client", "id": c.id, "therapist_id": c.therapist_id,
        "first_name": c.first_name, "last_name": c.last_name, "email": c.email, "phone": c.phone,
        "timezone": c.timezone, "channels": [ch.value for ch in c.channels],
        "sms_consent": c.sms_consent, "sms_opted_out": c.sms_opted_out,
        "checkins_enabled": c.checkins_enabled, "email_blocked": c.email_blocked,
        "sms_unreachable": c.sms_unreachable,
        "gsi1pk": keys.therapist_partition(c.therapist_id),
        "gsi1sk": f"{keys.CLIENT_SORT_PREFIX}{c.last_name.lower()}#{c.id}",
    }
    if c.phone:  # inbound SMS finds the client by number
        item["gsi2pk"], item["gsi2sk"] = keys.phone_partition(c.phone), f"{keys.CLIENT_SORT_PREFIX}{c.id}"
    return item


def client_email_lookup(c: Client) -> Item | None:
    """Finds clients by address (SES bounces name an address, not a client)."""
    if not c.email:
        return None
    return {"pk": keys.email_lookup_partition(c.email), "sk": f"{keys.CLIENT_SORT_PREFIX}{c.id}",
            "type": "email_lookup", "client_id": c.id}


def client_from_item(item: Item) -> Client:
    return Client(
        id=item["id"], therapist_id=item["therapist_id"], first_name=item["first_name"],
        last_name=item.get("last_name", ""), email=item.get("email", ""),
        phone=item.get("phone", ""), timezone=item["timezone"],
        channels=tuple(Channel(c) for c in item.get("channels", ["email"])),
        sms_consent=item.get("sms_consent", False), sms_opted_out=item.get("sms_opted_out", False),
        checkins_enabled=item.get("checkins_enabled", True),
        email_blocked=item.get("email_blocked", False),
        sms_unreachable=item.get("sms_unreachable", False),
        erased=item.get("erased", False),
    )
