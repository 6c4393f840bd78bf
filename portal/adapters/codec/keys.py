"""Every key of the one table, on one page, and the data map: what each kind of item holds.

Keys are built here and nowhere else; the item mappings beside this module (``people``,
``sessions``, ``waitlist``, ...) take their keys from it. ``KINDS`` says, for every value of an
item's ``type``, whether it holds client data, how long it is kept, and whether a client's
export and erasure cover it (tests/unit/test_data_map.py holds the store to it).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from portal.adapters.tables import Key
from portal.domain.messages import PendingMessage
from portal.domain.timemath import iso_utc


# --- the data map --------------------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    """One kind of item. Every field is required, so a new kind must answer each question."""
    client_data: bool  # names a client, or holds what a client wrote, chose or was sent
    retention: str  # how long it stays
    exported: bool  # a client's export (services/privacy/export.py) includes it
    erased: bool  # erasure removes it, or its names, contact details and free text
    why: str  # one line: what it is, and why export or erasure leaves it out (if they do)


_UNTIL_ERASED = "while the practice holds the client; erasure de-identifies it"
KINDS: dict[str, Kind] = {
    "settings": Kind(False, "for good", False, False, "the practice's settings"),
    "therapist": Kind(False, "for good (deactivated, never deleted)", False, False,
                      "a therapist's profile and sign-in"),
    "login": Kind(False, "as long as the therapist", False, False, "sign-in email to therapist"),
    "therapist_audit": Kind(False, "6 years (AUDIT_RETENTION)", False, False,
                            "a therapist deactivated or reactivated"),
    "availability": Kind(False, "for good", False, False, "a therapist's hours and time off"),
    "feed_key": Kind(False, "until the therapist makes a new one", False, False,
                     "the calendar feed's secret"),
    "throttle": Kind(False, "1 day (SIGN_IN_COUNTER)", False, False,
                     "failed sign-ins of a workspace account or an address"),
    "cursor": Kind(False, "for good, one per lane", False, False, "where a scheduled run left off"),
    "slot": Kind(False, "while the session holds the time", False, False,
                 "a therapist's occupied time cell: an appointment id only"),
    "client": Kind(True, _UNTIL_ERASED, True, True, "the client's record"),
    "email_lookup": Kind(True, "as long as the address", False, True,
                         "finds a client by address; the address is in the exported record"),
    "appointment": Kind(True, _UNTIL_ERASED, True, True,
                        "a session: kept de-identified so attendance figures stay true"),
    "audit": Kind(True, "6 years (AUDIT_RETENTION)", True, True, "a session's history"),
    "message": Kind(True, "with its session", True, True, "a reminder or notice, planned or sent"),
    "sent_lookup": Kind(True, "30 days (LOOKUP_KEEP)", False, False,
                        "provider id to message: ids only, gone within a month"),
    "inbox": Kind(True, "for good; erasure removes its text", True, True,
                  "what a client told their therapist"),
    "checkin": Kind(True, _UNTIL_ERASED, True, True, "a check-in answer"),
    "latest_checkin": Kind(True, _UNTIL_ERASED, False, True,
                           "the dashboard's copy of the newest answer (exported as a check-in)"),
    "access": Kind(True, "6 years, append-only", True, False,
                   "who read the client's data: the law keeps it through an erasure"),
    "tombstone": Kind(True, "for good", False, False,
                      "who erased whom and when: the proof of an erasure"),
    "once": Kind(True, "MARKER_DAYS (30)", False, False,
                 "\"this went out once\" markers: ids and a day only"),
    "inbound": Kind(False, "MARKER_DAYS (30)", False, False,
                    "the lock of one inbound event: the provider's message id only"),
    "waitlist": Kind(True, "until the entry's end (``until``)", True, True,
                     "a client's waitlist entry: in the export; erasure removes it"),
    "waitlist_done": Kind(True, "MARKER_DAYS (30)", False, False,
                          "a waitlist entry that ended, kept briefly for its audit"),
    "opening": Kind(False, "MARKER_DAYS (30)", False, False,
                    "a freed time and the ids of the clients offered it"),
}


# --- keys ----------------------------------------------------------------------------------
PRACTICE = "PRACTICE"
SETTINGS_KEY: Key = (PRACTICE, "SETTINGS")


def appointment_key(appointment_id: str) -> Key:
    return f"APPT#{appointment_id}", "A"


def therapist_key(therapist_id: str) -> Key:
    return f"THER#{therapist_id}", "PROFILE"


def availability_key(therapist_id: str) -> Key:
    return f"THER#{therapist_id}", "AVAIL"


def client_key(client_id: str) -> Key:
    return f"CLIENT#{client_id}", "PROFILE"


def login_key(email: str) -> Key:
    return f"LOGIN#{email.strip().lower()}", "L"


def throttle_key(scope: str, subject: str, window: int) -> Key:
    """A failed sign-in counter: scope is "acct" (an email) or "ip"; window numbers 15 minutes."""
    return f"THROTTLE#{scope}#{subject.strip().lower()}", f"W#{window}"


def slot_key(therapist_id: str, cell: str) -> Key:
    return f"SLOT#{therapist_id}#{cell}", "S"


def therapist_event_key(therapist_id: str, at: datetime, unique: str) -> Key:
    """An audit event about a therapist (deactivated, reactivated), in their own partition."""
    return f"THER#{therapist_id}", f"AUDIT#{iso_utc(at)}#{unique}"


def message_key(appointment_id: str, key: str) -> Key:
    return f"APPT#{appointment_id}", f"MSG#{key}"


# Query keys: a partition, and the sort-key prefix or range that selects one kind of item.
THERAPISTS = "THERAPISTS"  # the practice-wide partition of the by_therapist index
AUDIT_PREFIX, MESSAGE_PREFIX, INBOX_PREFIX, CHECKIN_PREFIX = "AUDIT#", "MSG#", "INBOX#", "CHECKIN#"
ACCESS_PREFIX = "ACCESS#"  # read audits; append-only (see infra/template.yaml)
CLIENT_SORT_PREFIX, APPOINTMENT_SORT_PREFIX = "C#", "A#"
PROFILE_RANGE = ("AVAIL", "PROFILE")  # a therapist's profile and availability, one Query


def appointment_partition(appointment_id: str) -> str:
    return appointment_key(appointment_id)[0]


def therapist_partition(therapist_id: str) -> str:
    """The therapist's own items, and their key in the by_therapist index."""
    return f"THER#{therapist_id}"


def client_partition(client_id: str) -> str:
    """The client's own items, and their key in the by_client index."""
    return f"CLIENT#{client_id}"


def phone_partition(phone: str) -> str:
    return f"PHONE#{phone}"


def email_lookup_partition(address: str) -> str:
    return f"CLIENTEMAIL#{address.strip().lower()}"


def appointment_range(start: datetime, end: datetime) -> tuple[str, str]:
    """Sessions starting in [start, end] on either calendar index."""
    return (f"{APPOINTMENT_SORT_PREFIX}{iso_utc(start)}", f"{APPOINTMENT_SORT_PREFIX}{iso_utc(end)}~")


def due_bucket(instant: datetime, lane: str = "") -> str:
    """Hour buckets of the due index: a run reads only the buckets between its cursor and now."""
    prefix = f"DUE#{lane}#" if lane else "DUE#"
    return prefix + instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H")


def due_sort(m: PendingMessage) -> str:
    return f"{iso_utc(m.due_at)}#{m.appointment_id}#{m.key}"


def cursor_key(lane: str = "") -> Key:
    """Where a run left off: "" is the reminders lane."""
    return f"CURSOR#{lane or 'reminders'}", "C"


def daily_text_key(client_id: str, day: date) -> Key:
    """At most one reminder text per client-local day."""
    return client_partition(client_id), f"SMSDAY#{day.isoformat()}"


def checkin_once_key(appointment_id: str, after: str) -> Key:
    """One check-in per gap between two sessions (``after``: the earlier session's id)."""
    return appointment_partition(appointment_id), f"ONCE#checkin#{after or '-'}"


def followup_once_key(appointment_id: str) -> Key:
    return appointment_partition(appointment_id), "ONCE#followup"


def digest_key(therapist_id: str, day: date) -> Key:
    return therapist_partition(therapist_id), f"DIGEST#{day.isoformat()}"


def checkin_key(client_id: str, at: datetime) -> Key:
    return client_partition(client_id), f"{CHECKIN_PREFIX}{iso_utc(at)}"


def latest_checkin_key(client_id: str) -> Key:
    """A copy of the newest answer, read in batches (outside the CHECKIN# history range)."""
    return client_partition(client_id), "LATEST_CHECKIN"


# Inbound SMS ids; SNS ids of SES events and of SMS delivery events.
INBOUND_SOURCES = {"sms": "SMSIN", "ses": "SESIN", "smsevent": "SMSEV"}


def inbound_key(source: str, message_id: str) -> Key:
    """An event-driven handler's idempotency record for one inbound message."""
    return f"{INBOUND_SOURCES[source]}#{message_id}", "S"


def sent_lookup_key(provider_id: str) -> Key:
    """Finds a sent message by the provider's id (SES and SMS events name only that)."""
    return f"SENT#{provider_id}", "M"


def feed_key_key(therapist_id: str) -> Key:
    """A therapist's calendar-feed key. In the calendar index after every session ("A#~"), so
    the feed reads the key and the sessions ahead in one Query, and no range of sessions
    (appointment_range) ever includes it."""
    return therapist_partition(therapist_id), "FEEDKEY"


FEED_KEY_SORT = f"{APPOINTMENT_SORT_PREFIX}~feedkey"


def access_log_partition(client_id: str) -> str:
    """A client's access log: its own partition, so the Lambda role's policy can deny updates
    and deletes on it by key prefix (dynamodb:LeadingKeys "ACCESS#*")."""
    return f"{ACCESS_PREFIX}{client_id}"


def tombstone_key(client_id: str) -> Key:
    return client_partition(client_id), "ERASED"


def waitlist_key(client_id: str) -> Key:
    """A client's one waitlist entry; in the by_therapist index under ``W#`` while it lasts."""
    return client_partition(client_id), "WAITLIST"


def opening_key(opening_id: str) -> Key:
    """A freed time and its offers; in the by_therapist index under ``O#<start>``."""
    return f"OPENING#{opening_id}", "O"


def offer_day_key(client_id: str, day: date, n: int) -> Key:
    """The n-th waitlist offer of a client-local day (a cap of two a day)."""
    return client_partition(client_id), f"OFFERDAY#{day.isoformat()}#{n}"


WAITLIST_SORT_PREFIX, OPENING_SORT_PREFIX = "W#", "O#"
