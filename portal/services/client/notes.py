"""A word to the therapist, any time: a note from the session's page, or "I'm running late"
(from the page or by SMS "LATE 10").

Each goes to the therapist's inbox, and the therapist gets an email that says only that a
note is waiting, with a link to the signed-in workspace (no note text, no client name: email
is not the place for them). At most NOTES_A_DAY per session per day, counted atomically in
DynamoDB (one UpdateItem).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from portal.domain.errors import ValidationError
from portal.domain.ids import new_id
from portal.domain.model import Appointment, InboxItem, PracticeSettings, Therapist
from portal.interfaces import Deps, Email

log = logging.getLogger(__name__)

NOTE_MAX = 500
NOTES_A_DAY = 5
LATE_MINUTES = (5, 10, 15)
LATE_FROM = timedelta(hours=2)  # before the start
LATE_UNTIL = timedelta(minutes=15)  # after it
DAY = 86400


class TooManyNotes(ValidationError):
    def __init__(self, phone: str = "") -> None:
        call = f" If it can't wait, please call {phone}." if phone else " If it can't wait, please call the practice."
        super().__init__(f"You've sent {NOTES_A_DAY} notes about this session today, so we've paused "
                         f"notes until tomorrow.{call}")


def can_say_late(appointment: Appointment, now: datetime) -> bool:
    """From two hours before the start until a quarter of an hour after it."""
    return appointment.status.is_open and \
        appointment.start - LATE_FROM <= now <= appointment.start + LATE_UNTIL


def send_note(deps: Deps, appointment: Appointment, therapist: Therapist, settings: PracticeSettings,
              text: str) -> InboxItem:
    text = (text or "").strip()
    if not text:
        raise ValidationError("Please write your note first, then tap Send.")
    if len(text) > NOTE_MAX:
        raise ValidationError(f"Please keep your note under {NOTE_MAX} characters.")
    return _deliver(deps, appointment, therapist, settings, "note", text)


def running_late(deps: Deps, appointment: Appointment, therapist: Therapist, settings: PracticeSettings,
                 minutes: int) -> InboxItem:
    if minutes not in LATE_MINUTES:
        raise ValidationError("Please choose 5, 10 or 15 minutes.")
    if not can_say_late(appointment, deps.clock.now()):
        raise ValidationError("You can tell us you're running late from two hours before your "
                              "session until a quarter of an hour after it starts.")
    return _deliver(deps, appointment, therapist, settings, "late",
                    f"Running about {minutes} minutes late.")


def _deliver(deps: Deps, appointment: Appointment, therapist: Therapist, settings: PracticeSettings, kind: str,
             text: str) -> InboxItem:
    now = deps.clock.now()
    day = int(now.timestamp()) // DAY
    if deps.store.count_attempt("notes", appointment.id, day, 1, (day + 2) * DAY) > NOTES_A_DAY:
        raise TooManyNotes(settings.contact_phone)
    item = InboxItem(therapist_id=therapist.id, at=now, kind=kind, client_id=appointment.client_id,
                     appointment_id=appointment.id, text=text, id=new_id())
    deps.store.add_inbox(item)
    _tell_therapist(deps, therapist, settings)
    return item


def _tell_therapist(deps: Deps, therapist: Therapist, settings: PracticeSettings) -> None:
    workspace = f"{getattr(deps.links, 'base_url', '')}/t/#inbox"
    email = Email(to=therapist.email, subject="A client note is waiting in your inbox",
                  text=f"A client has sent you a note. Read it in your Attune inbox:\n{workspace}\n\n"
                       f"{settings.display_name}\n")
    try:
        deps.notifier.send_email(email)
    except Exception:  # the note is in the inbox; the email is a courtesy
        log.exception("could not tell the therapist that a note is waiting")
