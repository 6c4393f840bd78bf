"""Domain objects to table items and back. Keys are built here and nowhere else."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from portal.adapters import codec_notices
from portal.adapters.codec_moves import moved_from_of, moved_from_to_item
from portal.domain.audit import AuditEvent
from portal.domain.messages import CLAIMED, PENDING, PendingMessage
from portal.domain.model import (
    Appointment,
    Availability,
    AvailabilityWindow,
    Barrier,
    Channel,
    Client,
    InboxItem,
    Mode,
    Status,
    Therapist,
    TimeOff,
)
from portal.domain.retention import AUDIT_RETENTION, expiry_epoch
from portal.domain.timemath import iso_utc, parse_utc

# --- keys ----------------------------------------------------------------------------------
PRACTICE = "PRACTICE"
SETTINGS_KEY = (PRACTICE, "SETTINGS")


def appointment_key(appointment_id):
    return f"APPT#{appointment_id}", "A"


def therapist_key(therapist_id):
    return f"THER#{therapist_id}", "PROFILE"


def availability_key(therapist_id):
    return f"THER#{therapist_id}", "AVAIL"


def client_key(client_id):
    return f"CLIENT#{client_id}", "PROFILE"


def login_key(email):
    return f"LOGIN#{email.strip().lower()}", "L"


def throttle_key(scope, subject, window):
    """A failed sign-in counter: scope is "acct" (an email) or "ip"; window numbers 15 minutes."""
    return f"THROTTLE#{scope}#{subject.strip().lower()}", f"W#{window}"


def slot_key(therapist_id, cell):
    return f"SLOT#{therapist_id}#{cell}", "S"


def therapist_event_key(therapist_id, at: datetime, unique: str):
    """An audit event about a therapist (deactivated, reactivated), in their own partition."""
    return f"THER#{therapist_id}", f"AUDIT#{iso_utc(at)}#{unique}"


def message_key(appointment_id, key):
    return f"APPT#{appointment_id}", f"MSG#{key}"


# Query keys: a partition, and the sort-key prefix or range that selects one kind of item.
THERAPISTS = "THERAPISTS"  # the practice-wide partition of the by_therapist index
AUDIT_PREFIX, MESSAGE_PREFIX, INBOX_PREFIX, CHECKIN_PREFIX = "AUDIT#", "MSG#", "INBOX#", "CHECKIN#"
ACCESS_PREFIX = "ACCESS#"  # read audits; append-only (see infra/template.yaml)
CLIENT_SORT_PREFIX, APPOINTMENT_SORT_PREFIX = "C#", "A#"
PROFILE_RANGE = ("AVAIL", "PROFILE")  # a therapist's profile and availability, one Query


def appointment_partition(appointment_id):
    return appointment_key(appointment_id)[0]


def therapist_partition(therapist_id):
    """The therapist's own items, and their key in the by_therapist index."""
    return f"THER#{therapist_id}"


def client_partition(client_id):
    """The client's own items, and their key in the by_client index."""
    return f"CLIENT#{client_id}"


def phone_partition(phone):
    return f"PHONE#{phone}"


def email_lookup_partition(address):
    return f"CLIENTEMAIL#{address.strip().lower()}"


def appointment_range(start: datetime, end: datetime):
    """Sessions starting in [start, end] on either calendar index."""
    return (f"{APPOINTMENT_SORT_PREFIX}{iso_utc(start)}", f"{APPOINTMENT_SORT_PREFIX}{iso_utc(end)}~")


def due_bucket(instant: datetime, lane: str = "") -> str:
    """Hour buckets of the due index: a run reads only the buckets between its cursor and now."""
    prefix = f"DUE#{lane}#" if lane else "DUE#"
    return prefix + instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H")


def due_sort(m: PendingMessage) -> str:
    return f"{iso_utc(m.due_at)}#{m.appointment_id}#{m.key}"


def cursor_key(lane: str = ""):
    """Where a run left off: "" is the reminders lane."""
    return f"CURSOR#{lane or 'reminders'}", "C"


def daily_text_key(client_id, day: date):
    """At most one reminder text per client-local day."""
    return client_partition(client_id), f"SMSDAY#{day.isoformat()}"


def checkin_once_key(appointment_id, after: str):
    """One check-in per gap between two sessions (``after``: the earlier session's id)."""
    return appointment_partition(appointment_id), f"ONCE#checkin#{after or '-'}"


def followup_once_key(appointment_id):
    return appointment_partition(appointment_id), "ONCE#followup"


def digest_key(therapist_id, day: date):
    return therapist_partition(therapist_id), f"DIGEST#{day.isoformat()}"


def checkin_key(client_id, at: datetime):
    return client_partition(client_id), f"{CHECKIN_PREFIX}{iso_utc(at)}"


def latest_checkin_key(client_id):
    """A copy of the newest answer, read in batches (outside the CHECKIN# history range)."""
    return client_partition(client_id), "LATEST_CHECKIN"


# Inbound SMS ids; SNS ids of SES events and of SMS delivery events.
INBOUND_SOURCES = {"sms": "SMSIN", "ses": "SESIN", "smsevent": "SMSEV"}


def inbound_key(source: str, message_id: str):
    """An event-driven handler's idempotency record for one inbound message."""
    return f"{INBOUND_SOURCES[source]}#{message_id}", "S"


def sent_lookup_key(provider_id: str):
    """Finds a sent message by the provider's id (SES and SMS events name only that)."""
    return f"SENT#{provider_id}", "M"


def feed_key_key(therapist_id):
    """A therapist's calendar-feed key. In the calendar index after every session ("A#~"), so
    the feed reads the key and the sessions ahead in one Query, and no range of sessions
    (appointment_range) ever includes it."""
    return therapist_partition(therapist_id), "FEEDKEY"


FEED_KEY_SORT = f"{APPOINTMENT_SORT_PREFIX}~feedkey"


def access_log_partition(client_id):
    """A client's access log: its own partition, so the Lambda role's policy can deny updates
    and deletes on it by key prefix (dynamodb:LeadingKeys "ACCESS#*")."""
    return f"{ACCESS_PREFIX}{client_id}"


def tombstone_key(client_id):
    return client_partition(client_id), "ERASED"


def waitlist_key(client_id):
    """A client's one waitlist entry; in the by_therapist index under ``W#`` while it lasts."""
    return client_partition(client_id), "WAITLIST"


def opening_key(opening_id):
    """A freed time and its offers; in the by_therapist index under ``O#<start>``."""
    return f"OPENING#{opening_id}", "O"


def offer_day_key(client_id, day: date, n: int):
    """The n-th waitlist offer of a client-local day (a cap of two a day)."""
    return client_partition(client_id), f"OFFERDAY#{day.isoformat()}#{n}"


WAITLIST_SORT_PREFIX, OPENING_SORT_PREFIX = "W#", "O#"


def _time(text):
    return time.fromisoformat(text)


def _opt_dt(text):
    return parse_utc(text) if text else None


# --- therapists ----------------------------------------------------------------------------
def therapist_to_item(t: Therapist) -> dict:
    pk, sk = therapist_key(t.id)
    return {
        "pk": pk, "sk": sk, "type": "therapist", "id": t.id, "name": t.name, "email": t.email,
        "timezone": t.timezone, "session_minutes": t.session_minutes,
        "buffer_minutes": t.buffer_minutes, "tele_room_url": t.tele_room_url, "role": t.role,
        "password_hash": t.password_hash, "active": t.active,
        # Listed through the by_therapist index under one practice-wide key.
        "gsi1pk": THERAPISTS, "gsi1sk": t.email.lower(),
    }


def therapist_from_item(item: dict) -> Therapist:
    return Therapist(
        id=item["id"], name=item["name"], email=item["email"], timezone=item["timezone"],
        session_minutes=item["session_minutes"], buffer_minutes=item["buffer_minutes"],
        tele_room_url=item.get("tele_room_url", ""), role=item.get("role", "therapist"),
        password_hash=item.get("password_hash", ""),
        # Written only by Store.set_session_key (never by a profile write), so a page read
        # before a sign-out cannot put back a revoked key.
        session_key=item.get("session_key", ""),
        # Likewise written only by the store's two-step methods (adapters/store_two_step.py).
        totp_secret=item.get("totp_secret", ""), totp_last_step=int(item.get("totp_last_step", 0)),
        recovery_hashes=tuple(item.get("totp_recovery") or ()),
        active=item.get("active", True),  # written only by Store.set_therapist_active after add
    )


def availability_to_item(therapist_id: str, a: Availability) -> dict:
    pk, sk = availability_key(therapist_id)
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


def availability_from_item(item: dict | None) -> Availability:
    if not item:
        return Availability()
    return Availability(
        windows=tuple(
            AvailabilityWindow(w["weekday"], _time(w["start"]), _time(w["end"]),
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
def client_to_item(c: Client) -> dict:
    pk, sk = client_key(c.id)
    item = {
        "pk": pk, "sk": sk, "type": "client", "id": c.id, "therapist_id": c.therapist_id,
        "first_name": c.first_name, "last_name": c.last_name, "email": c.email, "phone": c.phone,
        "timezone": c.timezone, "channels": [ch.value for ch in c.channels],
        "sms_consent": c.sms_consent, "sms_opted_out": c.sms_opted_out,
        "checkins_enabled": c.checkins_enabled, "email_blocked": c.email_blocked,
        "sms_unreachable": c.sms_unreachable,
        "gsi1pk": therapist_partition(c.therapist_id),
        "gsi1sk": f"{CLIENT_SORT_PREFIX}{c.last_name.lower()}#{c.id}",
    }
    if c.phone:  # inbound SMS finds the client by number
        item["gsi2pk"], item["gsi2sk"] = phone_partition(c.phone), f"{CLIENT_SORT_PREFIX}{c.id}"
    return item


def client_email_lookup(c: Client) -> dict | None:
    """Finds clients by address (SES bounces name an address, not a client)."""
    if not c.email:
        return None
    return {"pk": email_lookup_partition(c.email), "sk": f"{CLIENT_SORT_PREFIX}{c.id}", "type": "email_lookup",
            "client_id": c.id}


def client_from_item(item: dict) -> Client:
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


# --- appointments --------------------------------------------------------------------------
def appointment_to_item(a: Appointment, message_keys=(), hold_end: datetime | None = None) -> dict:
    pk, sk = appointment_key(a.id)
    start = iso_utc(a.start)
    return {
        "pk": pk, "sk": sk, "type": "appointment", "id": a.id,
        "therapist_id": a.therapist_id, "client_id": a.client_id,
        "start": start, "end": iso_utc(a.end), "mode": a.mode.value, "location": a.location,
        "status": a.status.value, "version": a.version, "join_url": a.join_url,
        "barrier": a.barrier.value if a.barrier else None, "note": a.note,
        "changed_by_client": a.changed_by_client, "confirmed_via": a.confirmed_via,
        "created_at": iso_utc(a.created_at) if a.created_at else None,
        "moved_from": moved_from_to_item(a.moved_from),
        "message_keys": list(message_keys), "client_label": a.client_label,
        # The end of the time this session holds (its buffer included): what a move releases.
        "hold_end": iso_utc(hold_end or a.end),
        "gsi1pk": therapist_partition(a.therapist_id), "gsi1sk": f"{APPOINTMENT_SORT_PREFIX}{start}#{a.id}",
        "gsi2pk": client_partition(a.client_id), "gsi2sk": f"{APPOINTMENT_SORT_PREFIX}{start}#{a.id}",
    }


def appointment_from_item(item: dict) -> Appointment:
    return Appointment(
        id=item["id"], therapist_id=item["therapist_id"], client_id=item["client_id"],
        start=parse_utc(item["start"]), end=parse_utc(item["end"]), mode=Mode(item["mode"]),
        location=item.get("location", ""), status=Status(item["status"]),
        version=item["version"], join_url=item.get("join_url", ""),
        barrier=Barrier(item["barrier"]) if item.get("barrier") else None,
        note=item.get("note", ""), changed_by_client=item.get("changed_by_client", False),
        confirmed_via=item.get("confirmed_via", ""), created_at=_opt_dt(item.get("created_at")),
        moved_from=moved_from_of(item.get("moved_from")),
        client_label=item.get("client_label", ""),
    )


def audit_to_item(event: AuditEvent, unique: str) -> dict:
    return {
        "pk": appointment_partition(event.appointment_id), "sk": f"{AUDIT_PREFIX}{iso_utc(event.at)}#{unique}",
        "type": "audit", "appointment_id": event.appointment_id, "at": iso_utc(event.at),
        "actor": event.actor, "action": event.action, "via": event.via, "detail": event.detail,
        "expires_at": expiry_epoch(event.at, AUDIT_RETENTION),
    }


def audit_from_item(item: dict) -> AuditEvent:
    return AuditEvent(item["appointment_id"], parse_utc(item["at"]), item["actor"],
                      item["action"], item.get("via", ""), item.get("detail") or {})


# --- therapist inbox ---------------------------------------------------------------------
def inbox_to_item(i: InboxItem) -> dict:
    return {
        "pk": therapist_partition(i.therapist_id), "sk": f"{INBOX_PREFIX}{iso_utc(i.at)}#{i.id}", "type": "inbox",
        "id": i.id, "therapist_id": i.therapist_id, "at": iso_utc(i.at), "kind": i.kind,
        "client_id": i.client_id, "appointment_id": i.appointment_id or None,
        "barrier": i.barrier.value if i.barrier else None, "text": i.text, "handled": i.handled,
    }


def inbox_from_item(item: dict) -> InboxItem:
    return InboxItem(
        therapist_id=item["therapist_id"], at=parse_utc(item["at"]), kind=item["kind"],
        client_id=item["client_id"], appointment_id=item.get("appointment_id") or "",
        barrier=Barrier(item["barrier"]) if item.get("barrier") else None,
        text=item.get("text", ""), handled=item.get("handled", False), id=item["id"],
    )


# --- pending messages ----------------------------------------------------------------------
def message_to_item(m: PendingMessage) -> dict:
    pk, sk = message_key(m.appointment_id, m.key)
    item = {
        "pk": pk, "sk": sk, "type": "message", "appointment_id": m.appointment_id,
        "kind": m.kind, "channel": m.channel.value, "due_at": iso_utc(m.due_at),
        "status": m.status, "for_start": iso_utc(m.for_start) if m.for_start else None,
        "provider_id": m.provider_id or None,
        "claimed_until": iso_utc(m.claimed_until) if m.claimed_until else None,
        "detail": m.detail or None,
        **codec_notices.revision_fields(m),  # a change notice's: its claim and marks check them
    }
    if m.status in (PENDING, CLAIMED):  # sparse: only unsent messages sit in the due index
        item["due_bucket"], item["due_sk"] = due_bucket(m.due_at, m.lane), due_sort(m)
    return item


def message_from_item(item: dict) -> PendingMessage:
    return PendingMessage(
        appointment_id=item["appointment_id"], kind=item["kind"], channel=Channel(item["channel"]),
        due_at=parse_utc(item["due_at"]), status=item["status"],
        for_start=_opt_dt(item.get("for_start")), provider_id=item.get("provider_id") or "",
        claimed_until=_opt_dt(item.get("claimed_until")), detail=item.get("detail") or {},
    )


def is_type(item: dict, kind: str) -> bool:
    return item.get("type") == kind


def datetime_or_none(text) -> datetime | None:
    return _opt_dt(text)
