"""CSV import for a practice moving in: clients, then appointments.

Each row is checked in full before anything is written, so a bad row leaves nothing
behind: it is reported by line and skipped, whatever is wrong with it (a cell too long
for the csv module, a year 9999, bytes that are not text). Rows that claim no time
(clients, and past sessions written as history) go in batches of BatchWriteItem;
an upcoming session goes through the booking transaction, which claims its time.
Ids come from the row itself (a hash of the therapist's email and the client's email,
plus the start for a session), so importing the same file twice creates nothing twice.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from portal.domain.audit import Actor, AuditEvent
from portal.domain.errors import DomainError, SlotTaken, ValidationError
from portal.domain.model import Appointment, Client, Mode, Status, Therapist
from portal.domain.timemath import is_on_cell, iso_utc, local_wall_to_utc, parse_utc
from portal.interfaces import Deps
from portal.services.sessions.booking import HowRecorded, record_booking
from portal.services.workspace.clients import client_from_input
from portal.services.workspace.inputs import FormErrors

CLIENT_REQUIRED = ("therapist_email", "first_name", "timezone")
APPOINTMENT_REQUIRED = ("therapist_email", "client_email", "start", "mode")
CHANNEL_WORDS = {"email": "email", "e-mail": "email", "sms": "sms", "text": "sms",
                 "voice": "voice", "call": "voice", "phone": "voice"}
MODE_WORDS = {"in_person": Mode.IN_PERSON, "in person": Mode.IN_PERSON, "office": Mode.IN_PERSON,
              "tele": Mode.TELE, "video": Mode.TELE, "teletherapy": Mode.TELE}
STATUS_WORDS = {"": Status.SCHEDULED, "scheduled": Status.SCHEDULED, "confirmed": Status.CONFIRMED,
                "attended": Status.ATTENDED, "no_show": Status.NO_SHOW, "no-show": Status.NO_SHOW}
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}
CELL_MAX = 500  # characters in one cell: more is a broken file (a quote left open), not data
BATCH = 25  # rows per batch: one BatchWriteItem holds 25 items
HISTORY_YEARS, AHEAD_YEARS = 10, 2  # how far back and ahead a session's start may be
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # a tab is fine; a line break is not


class ImportProblem(Exception):
    """The file as a whole can't be read (empty, wrong columns, not UTF-8 text)."""


@dataclass
class Row:
    line: int
    values: dict
    problem: str = ""  # set when the line itself can't be read: it is skipped


@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def record(self, line: int, outcome: str, reason: str = "") -> None:
        if outcome == "created":
            self.created += 1
        elif outcome == "existing":
            self.existing += 1
        else:
            self.skipped.append((line, reason))

    @property
    def done(self) -> int:
        return self.created + self.existing + len(self.skipped)


def read_rows(data: bytes, required: tuple[str, ...]) -> list[Row]:
    """Every row of the file, each either readable or carrying its problem."""
    lines = _CountedLines(_text_of(data))
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except (csv.Error, StopIteration):
        raise ImportProblem("The first line must name the columns, and it can't be read.") from None
    columns = [c.strip().lower() for c in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise ImportProblem(f"The first line must name the columns; missing: {', '.join(missing)}.")
    rows: list = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as problem:  # a cell past the csv module's limit: a quote left open
            rows.append(Row(lines.count, {}, f"this line can't be read as CSV ({problem}); "
                                              "check for a quote that is never closed."))
            continue
        if any(c.strip() for c in cells):  # blank lines are no one's mistake
            rows.append(_row(reader.line_num, columns, cells))


class _CountedLines:
    """The file's lines, counted as the csv reader takes them (for a line it can't read)."""

    def __init__(self, text: str) -> None:
        self._lines = iter(io.StringIO(text, newline=""))
        self.count = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        return line


def _text_of(data: bytes) -> str:
    if not data.strip():
        raise ImportProblem("The file is empty. Export the spreadsheet as CSV and try again.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.decode("utf-16").encode("utf-8")  # "Unicode text" from a spreadsheet
    if b"\x00" in data[:4096]:
        raise ImportProblem("This isn't CSV text (it looks like a spreadsheet or another binary "
                            "file). Save it as 'CSV UTF-8' and try again.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data[:problem.start].count(b"\n") + 1
        raise ImportProblem(f"line {line}: the file isn't UTF-8 text. Save it as 'CSV UTF-8' "
                            "and try again.") from None


def _row(line: int, columns: list[str], cells: list[str]) -> Row:
    values = {name: cell.strip() for name, cell in zip(columns, cells) if name}
    for name, value in values.items():
        if len(value) > CELL_MAX:
            return Row(line, {}, f"{name}: {len(value)} characters is too long (at most {CELL_MAX}); "
                                 "check for a quote that is never closed.")
        if CONTROL.search(value):
            return Row(line, {}, f"{name}: holds a line break or characters that aren't text.")
    return Row(line, values)


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def stable_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("|".join(p.strip().lower() for p in parts).encode()).hexdigest()
    return prefix + digest[:11]


Outcome = tuple[Row, str, str]  # the row, "created" | "existing" | "skipped", the reason


class Importer:
    """Imports rows in batches, yielding each row's outcome (so the caller shows progress)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.now = deps.clock.now()
        self._therapists: dict[str, Therapist | None] = {}
        self._clients: dict[str, dict[str, Client]] = {}

    def therapist(self, email: str) -> Therapist:
        key = email.strip().lower()
        if key not in self._therapists:
            self._therapists[key] = self.deps.store.therapist_by_email(key) if key else None
        found = self._therapists[key]
        if found is None:
            raise ValidationError(f"No therapist signs in as '{email}'.")
        return found

    def client(self, therapist: Therapist, email: str) -> Client:
        if therapist.id not in self._clients:
            self._clients[therapist.id] = {c.email.lower(): c for c in
                                           self.deps.store.list_clients(therapist.id) if c.email}
        found = self._clients[therapist.id].get(email.strip().lower())
        if found is None:
            raise ValidationError(f"{therapist.name} has no client with the email '{email}'. "
                                  "Import the clients first.")
        return found

    # --- clients: checked row by row, written a batch at a time --------------------------------
    def import_clients(self, rows: Iterable[Row], batch: int = BATCH) -> Iterator[Outcome]:
        for chunk in _chunks(rows, batch):
            ready = []
            for row in chunk:
                try:
                    ready.append((row, self.client_of(row)))
                except DomainError as problem:
                    yield row, "skipped", str(problem)
            created = self.deps.store.add_clients([c for _, c in ready]) if ready else set()
            for row, client in ready:
                yield row, "created" if client.id in created else "existing", ""
                created.discard(client.id)  # the same client twice in a file: once
                self._clients.pop(client.therapist_id, None)

    def client_of(self, row: Row) -> Client:
        """The row as a Client, or ValidationError saying what is wrong with it."""
        if row.problem:
            raise ValidationError(row.problem)
        v = row.values
        therapist = self.therapist(v.get("therapist_email", ""))
        values = dict(v, channels=_channels(v.get("channels", "")),
                      sms_consent=_yes_no(v.get("sms_consent", ""), "sms_consent"))
        identity = v.get("email") or v.get("phone") or f"{v.get('first_name')} {v.get('last_name')}"
        try:
            return client_from_input(values, therapist.id, stable_id("i", therapist.email, identity))
        except FormErrors as problems:
            raise ValidationError("; ".join(f"{k}: {m}" for k, m in problems.fields.items())) from None

    # --- sessions: history in batches, upcoming ones through the booking transaction ----------
    def import_appointments(self, rows: Iterable[Row], batch: int = BATCH) -> Iterator[Outcome]:
        for chunk in _chunks(rows, batch):
            history = []
            for row in chunk:
                try:
                    session, therapist, client = self.session_of(row)
                except DomainError as problem:
                    yield row, "skipped", str(problem)
                    continue
                if session.end <= self.now:
                    history.append((row, session))
                else:
                    yield (row, *self._book(session, therapist, client))
            yield from self._record_history(history)

    def session_of(self, row: Row) -> tuple[Appointment, Therapist, Client]:
        """The row as a session (not yet stored) with its people, or ValidationError."""
        if row.problem:
            raise ValidationError(row.problem)
        v = row.values
        therapist = self.therapist(v.get("therapist_email", ""))
        client = self.client(therapist, v.get("client_email", ""))
        start = _start(v.get("start", ""), therapist.timezone, self.now)
        mode = _choice(MODE_WORDS, v.get("mode", ""), "mode", "in_person or tele")
        status = _choice(STATUS_WORDS, v.get("status", ""), "status",
                         "scheduled, confirmed, attended or no_show")
        end = start + timedelta(minutes=therapist.session_minutes)
        if end > self.now and not status.is_open:
            raise ValidationError(f"status: a session that hasn't ended can't be {status.value}.")
        session = Appointment(id=stable_id("i", therapist.email, client.email, iso_utc(start)),
                              therapist_id=therapist.id, client_id=client.id, start=start, end=end,
                              mode=mode, location=v.get("location", ""), status=status,
                              created_at=self.now)
        return session, therapist, client

    def _book(self, session: Appointment, therapist: Therapist, client: Client) -> tuple[str, str]:
        try:
            record_booking(self.deps, therapist, client, session.start, session.mode,
                           actor=Actor.system("import"), location=session.location,
                           how=HowRecorded(appointment_id=session.id, status=session.status))
        except DomainError as problem:
            # Imported before: the session's own id is there (its time cells are too).
            if self.deps.store.get_appointment(session.id) is not None:
                return "existing", ""
            if isinstance(problem, SlotTaken):
                return "skipped", "That time overlaps another session of this therapist."
            return "skipped", str(problem)
        return "created", ""

    def _record_history(self, history: list[tuple[Row, Appointment]]) -> Iterator[Outcome]:
        """Past sessions as they ended: no time claims (the past is never offered), no reminders."""
        if not history:
            return
        created = self.deps.store.record_past_sessions([
            (session, AuditEvent(session.id, self.now, Actor.system("import").label, "imported", "import",
                                 {"start": session.start.isoformat(), "status": session.status.value}))
            for _, session in history])
        for row, session in history:
            yield row, "created" if session.id in created else "existing", ""
            created.discard(session.id)


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


def _choice(words: dict, raw: str, column: str, expected: str) -> Any:
    key = raw.strip().lower()
    if key not in words:
        raise ValidationError(f"{column}: '{raw}' is not one of {expected}.")
    return words[key]


def _start(raw: str, zone_name: str, now: datetime) -> datetime:
    """ISO 8601 with an offset (2026-03-10T22:00:00Z), or the therapist's local
    wall-clock time (2026-03-10 17:00), within HISTORY_YEARS back and AHEAD_YEARS ahead."""
    text = raw.strip().replace("T", " ")
    try:
        start: datetime | None
        if text.endswith("Z") or "+" in text or text.count("-") > 2:
            start = parse_utc(raw.strip())
        else:
            local = datetime.fromisoformat(text)
            if not now.year - HISTORY_YEARS - 1 <= local.year <= now.year + AHEAD_YEARS + 1:
                raise _out_of_range(raw)  # before any arithmetic: year 9999 would overflow
            start = local_wall_to_utc(local.date(), local.time(), zone_name)
            if start is None:
                raise ValidationError("start: the clocks skip that time on that day.")
    except ValidationError:
        raise
    except (ValueError, OverflowError):
        raise ValidationError(f"start: '{raw}' is not a date and time such as 2026-03-10 17:00.") from None
    if not now - timedelta(days=365 * HISTORY_YEARS) <= start <= now + timedelta(days=365 * AHEAD_YEARS):
        raise _out_of_range(raw)
    if not is_on_cell(start):
        raise ValidationError("start: use a time on a 5-minute step, such as 17:00 or 17:05.")
    return start


def _out_of_range(raw: str) -> ValidationError:
    return ValidationError(f"start: '{raw}' is out of range; sessions can be imported from "
                           f"{HISTORY_YEARS} years back to {AHEAD_YEARS} years ahead.")
