"""The invariants, checked while the practice runs; the first one broken stops the run.

Each check counts how often it held, for the report. They watch the product from outside:
what the notifier was asked to send, what the store marked sent, what each request answered,
and what the table holds.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from portal.domain.messages import CHECKIN, FOLLOWUP
from portal.domain.model import Status
from portal.domain.quiet_hours import is_quiet
from portal.domain.timemath import cells

NAMES = {
    "no_overlap": "No two sessions of a therapist overlap",
    "no_stale_message": "No message goes out for a session after it was moved, cancelled or started",
    "reminder_once": "Each planned reminder is sent at most once",
    "quiet_hours": "No text or call goes out in quiet hours",
    "allow_list": "No message carries fields outside the allow-list",
    "no_5xx": "No request answers 5xx",
    "slot_cells": "The store's slot cells match its sessions at the end",
}
# As tests/unit/test_messages_allowlist.py holds every rendered message to.
CLINICAL = ("therap", "diagnos", "mental", "psychiatr", "psycholog", "counsel", "depress",
            "anxiety", "anxious", "treatment", "clinic", "disorder", "medicat", "trauma", "suicid",
            "bipolar", "schizo", "psychos", "patient", "symptom", "illness")
URL = re.compile(r"https?://\S+")
MISSED = (Status.NO_SHOW, Status.LATE_CANCELLED)


class InvariantBroken(AssertionError):
    def __init__(self, name: str, detail: str):
        super().__init__(f"{NAMES[name]}: {detail}")
        self.name, self.detail = name, detail


class Invariants:
    def __init__(self):
        self.passed = Counter({name: 0 for name in NAMES})
        self.sent_keys: set = set()
        self.broken: InvariantBroken | None = None

    def hold(self, name: str, ok: bool, detail: str = ""):
        if not ok:
            # Kept as well as raised: a product's "except Exception" around a send may swallow it.
            self.broken = self.broken or InvariantBroken(name, detail)
            raise self.broken
        self.passed[name] += 1

    def raise_if_broken(self):
        if self.broken is not None:
            raise self.broken

    # --- what goes out ----------------------------------------------------------------------
    def message_sent(self, message, appointment, now):
        """Called as the store marks a planned message sent (every lane)."""
        # A change notice is one record per channel, rewritten by each change: each revision
        # (the session's version it tells of) is the message that must go out at most once.
        key = (message.appointment_id, message.key, message.detail.get("rev"))
        self.hold("reminder_once", key not in self.sent_keys, f"{key} sent twice")
        self.sent_keys.add(key)
        if message.kind == FOLLOWUP:
            ok = appointment is not None and appointment.status in MISSED
        elif not (message.is_reminder or message.kind == CHECKIN):
            return  # another lane (a change confirmation, an offer): about a change, not ahead of a session
        else:
            ok = (appointment is not None and appointment.status.is_open and appointment.start > now
                  and (message.for_start is None or message.for_start == appointment.start))
        self.hold("no_stale_message", ok, f"{message.kind} {message.channel.value} for "
                  f"{message.appointment_id} at {now:%Y-%m-%d %H:%M}Z: session "
                  f"{getattr(appointment, 'status', None)}, {getattr(appointment, 'start', None)}")

    def phone_message(self, person, settings, now, channel):
        quiet = is_quiet(now, person.client.timezone, settings.quiet_start, settings.quiet_end)
        self.hold("quiet_hours", not quiet, f"{channel} to {person.client.id} at {now:%H:%M}Z "
                  f"({person.client.timezone})")

    def client_message(self, person, therapist, settings, texts):
        client = person.client
        for text in texts:
            words = URL.sub(" ", text)
            problems = []
            if re.search(rf"\b{re.escape(client.last_name)}\b", words):
                problems.append("last name")
            if therapist.email in text or therapist.name in words or \
                    re.search(rf"\b{re.escape(therapist.name.split()[-1])}\b", words):
                problems.append("therapist")
            plain = words.lower().replace(settings.display_name.lower(), " ")
            problems += [w for w in CLINICAL if w in plain]
            self.hold("allow_list", not problems, f"to {client.id}: {problems} in {text[:200]!r}")

    def answer(self, method, path, status):
        self.hold("no_5xx", status < 500, f"{method} {path} answered {status}")

    # --- the table at the end ----------------------------------------------------------------
    def calendar(self, therapist, sessions):
        held = sorted((a for a in sessions if a.status not in (Status.CANCELLED, Status.LATE_CANCELLED)),
                      key=lambda a: a.start)
        buffer = timedelta(minutes=therapist.buffer_minutes)
        for before, after in zip(held, held[1:]):
            self.hold("no_overlap", before.end + buffer <= after.start,
                      f"{before.id} {before.start} and {after.id} {after.start} ({therapist.id})")

    def slot_cells(self, therapist, sessions, held_cells: dict):
        """``held_cells``: cell -> appointment id, as the table holds them for this therapist."""
        buffer = timedelta(minutes=therapist.buffer_minutes)
        expected = {}
        for a in sessions:
            if a.status.is_open:
                for cell in cells(a.start, a.end + buffer):
                    expected[cell] = a.id
        for cell, appointment_id in expected.items():
            self.hold("slot_cells", held_cells.get(cell) == appointment_id,
                      f"{therapist.id} cell {cell}: held by {held_cells.get(cell)}, "
                      f"session {appointment_id}")
        extra = set(held_cells) - set(expected)
        self.hold("slot_cells", not extra, f"{therapist.id}: cells held by no open session: "
                  f"{sorted(extra)[:5]}")

