"""CSV import for a practice moving in: clients, then appointments.

Each row is checked in full before anything is written, then written in one
conditional write (a client) or one transaction (a session), so a bad row leaves
nothing behind. Ids come from the row itself (a hash of the therapist's email and
the client's email, plus the start for a session), so importing the same file twice
finds every row already there and creates nothing twice.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime

from portal.domain.errors import DomainError, SlotTaken, ValidationError
from portal.domain.model import Actor, Client, Mode, Status, Therapist
from portal.domain.timemath import is_on_cell, iso_utc, local_wall_to_utc, parse_utc
from portal.interfaces import Deps
from portal.services.clients import client_from_input
from portal.services.inputs import FormErrors

CLIENT_COLUMNS = ("therapist_email", "first_name", "last_name", "email", "phone", "timezone",
                  "channels", "sms_consent")
CLIENT_REQUIRED = ("therapist_email", "first_name", "timezone")
APPOINTMENT_COLUMNS = ("therapist_email", "client_email", "start", "mode", "location", "status")
APPOINTMENT_REQUIRED = ("therapist_email", "client_email", "start", "mode")
CHANNEL_WORDS = {"email": "email", "e-mail": "email", "sms": "sms", "text": "sms",
                 "voice": "voice", "call": "voice", "phone": "voice"}
MODE_WORDS = {"in_person": Mode.IN_PERSON, "in person": Mode.IN_PERSON, "office": Mode.IN_PERSON,
              "tele": Mode.TELE, "video": Mode.TELE, "teletherapy": Mode.TELE}
STATUS_WORDS = {"": Status.SCHEDULED, "scheduled": Status.SCHEDULED, "confirmed": Status.CONFIRMED,
                "attended": Status.ATTENDED, "no_show": Status.NO_SHOW, "no-show": Status.NO_SHOW}
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}


class ImportProblem(Exception):
    """The file as a whole can't be read (wrong columns, not UTF-8 text)."""


@dataclass
class Row:
    line: int
    values: dict


@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def record(self, line: int, outcome: str, reason: str = ""):
        if outcome == "created":
            self.created += 1
        elif outcome == "existing":
            self.existing += 1
        else:
            self.skipped.append((line, reason))


def read_rows(data: bytes, required: tuple[str, ...]) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem("The file isn't UTF-8 text. Save it as 'CSV UTF-8' and try again.") from None
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    missing = [c for c in required if c not in columns]
    if missing:
        raise ImportProblem(f"The first line must name the columns; missing: {', '.join(missing)}.")
    reader.fieldnames = columns
    rows = []
    for values in reader:
        if not any((v or "").strip() for k, v in values.items() if k is not None):
            continue  # blank lines are no one's mistake
        rows.append(Row(reader.line_num, {k: (v or "").strip() for k, v in values.items() if k}))
    return rows


def stable_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("|".join(p.strip().lower() for p in parts).encode()).hexdigest()
    return prefix + digest[:11]


class Importer:
    """Imports rows one at a time (so the caller can show progress), caching lookups."""

    def __init__(self, deps: Deps):
        self.deps = deps
        self._therapists: dict[str, Therapist | None] = {}
        self._clients: dict[str, dict[str, Client]] = {}

    def therapist(self, email: str) -> Therapist:
        key = email.strip().lower()
        if key not in self._therapists:
            self._therapists[key] = self.deps.store.therapist_by_email(key) if key else None
        if self._therapists[key] is None:
            raise ValidationError(f"No therapist signs in as '{email}'.")
        return self._therapists[key]

    def client(self, therapist: Therapist, email: str) -> Client:
        if therapist.id not in self._clients:
            self._clients[therapist.id] = {c.email.lower(): c for c in
                                           self.deps.store.list_clients(therapist.id) if c.email}
        found = self._clients[therapist.id].get(email.strip().lower())
        if found is None:
            raise ValidationError(f"{therapist.name} has no client with the email '{email}'. "
                                  "Import the clients first.")
        return found

    def client_row(self, row: Row) -> tuple[str, str]:
        """("created" | "existing" | "skipped", reason)."""
        v = row.values
        try:
            therapist = self.therapist(v.get("therapist_email", ""))
            values = dict(v, channels=_channels(v.get("channels", "")),
                          sms_consent=_yes_no(v.get("sms_consent", ""), "sms_consent"))
            identity = v.get("email") or v.get("phone") or f"{v.get('first_name')} {v.get('last_name')}"
            client = client_from_input(values, therapist.id, stable_id("i", therapist.email, identity))
        except FormErrors as problems:
            return "skipped", "; ".join(f"{k}: {m}" for k, m in problems.fields.items())
        except ValidationError as problem:
            return "skipped", str(problem)
        try:
            self.deps.store.add_client(client)
        except ValidationError:
            return "existing", ""
        self._clients.pop(therapist.id, None)
        return "created", ""

    def appointment_row(self, row: Row) -> tuple[str, str]:
        from portal.services.booking import book_appointment

        v = row.values
        try:
            therapist = self.therapist(v.get("therapist_email", ""))
            client = self.client(therapist, v.get("client_email", ""))
            start = _start(v.get("start", ""), therapist.timezone)
            mode = _choice(MODE_WORDS, v.get("mode", ""), "mode", "in_person or tele")
            status = _choice(STATUS_WORDS, v.get("status", ""), "status",
                             "scheduled, confirmed, attended or no_show")
        except DomainError as problem:
            return "skipped", str(problem)
        appointment_id = stable_id("i", therapist.email, client.email, iso_utc(start))
        try:
            book_appointment(self.deps, therapist, client, start, mode, actor=Actor.system("import"),
                             location=v.get("location", ""), require_open_slot=False,
                             appointment_id=appointment_id, status=status)
        except DomainError as problem:
            # Imported before: the session's own id is there (its time cells are too).
            if self.deps.store.get_appointment(appointment_id) is not None:
                return "existing", ""
            if isinstance(problem, SlotTaken):
                return "skipped", "That time overlaps another session of this therapist."
            return "skipped", str(problem)
        return "created", ""


def _channels(raw: str) -> list[str]:
    words = [w for w in raw.replace(";", " ").replace("|", " ").replace(",", " ").lower().split() if w]
    unknown = [w for w in words if w not in CHANNEL_WORDS]
    if unknown:
        raise ValidationError(f"channels: '{unknown[0]}' is not email, sms or voice.")
    return [CHANNEL_WORDS[w] for w in words]


def _yes_no(raw: str, column: str) -> bool:
    word = raw.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValidationError(f"{column}: write yes or no, not '{raw}'.")


def _choice(words: dict, raw: str, column: str, expected: str):
    key = raw.strip().lower()
    if key not in words:
        raise ValidationError(f"{column}: '{raw}' is not one of {expected}.")
    return words[key]


def _start(raw: str, zone_name: str) -> datetime:
    """ISO 8601 with an offset (2026-03-10T22:00:00Z), or the therapist's local
    wall-clock time (2026-03-10 17:00)."""
    text = raw.strip().replace("T", " ")
    try:
        if text.endswith("Z") or "+" in text or text.count("-") > 2:
            start = parse_utc(raw.strip())
        else:
            local = datetime.fromisoformat(text)
            start = local_wall_to_utc(local.date(), local.time(), zone_name)
            if start is None:
                raise ValidationError("start: the clocks skip that time on that day.")
    except ValueError as problem:
        if isinstance(problem, ValidationError):
            raise
        raise ValidationError(f"start: '{raw}' is not a date and time such as 2026-03-10 17:00.") from None
    if not is_on_cell(start):
        raise ValidationError("start: use a time on a 5-minute step, such as 17:00 or 17:05.")
    return start
