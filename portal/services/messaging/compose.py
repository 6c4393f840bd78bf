"""Message text for reminders, nudges, follow-ups, check-ins, SMS replies and digests.

Only the minimum goes to a client: first name, the practice's display name, the day and
time in the client's zone, and links. No last name, no clinical words, no therapist name
or specialty (a test holds every rendered message to that). Email is text + HTML from
``templates/messages``; an SMS is one message of at most 160 GSM-7 characters, the link
included (longer wordings fall back to shorter ones); voice text is spoken, so no links.
Rendering only: whether and when to send is decided by the services that call this.
"""
from __future__ import annotations

import unicodedata
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable

from portal.calendar import CONTENT_TYPE, filename_for, ics_bytes
from portal.domain import wording
from portal.domain.model import Appointment, Client, Mode, PracticeSettings, Status, Therapist
from portal.domain.timemath import to_local
from portal.interfaces import Attachment, Email
from portal.paths import TEMPLATES

if TYPE_CHECKING:  # jinja2 itself is imported on first render (cold start)
    from jinja2 import Environment

SMS_LIMIT = 160
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # each takes two of the 160 places
# Letters that don't decompose into a base letter and an accent, and typographic marks.
GSM7_PLAIN = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "œ": "oe", "Œ": "OE", "þ": "th",
              "ð": "d", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."}


# --- shared pieces ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _templates() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape  # lazy: first message

    env = Environment(loader=FileSystemLoader(str(TEMPLATES / "messages")),
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(wording.FILTERS)  # the same filters as the pages
    return env


def render(name: str, **values: Any) -> str:
    return _templates().get_template(name).render(**values)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- SMS: GSM-7, one message ---------------------------------------------------------------
def gsm7(text: str) -> str:
    """The text in the GSM-7 alphabet: accents it lacks are dropped (Zoë -> Zoe), the rest "?"."""
    out = []
    for char in text:
        if char in GSM7_BASIC or char in GSM7_EXTENDED:
            out.append(char)
            continue
        plain = GSM7_PLAIN.get(char) or \
            unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(plain if plain and all(c in GSM7_BASIC for c in plain) else "?")
    return "".join(out)


def gsm7_length(text: str) -> int:
    return sum(2 if c in GSM7_EXTENDED else 1 for c in text)


def fit_sms(template: str, **values: Any) -> str:
    """The longest wording (levels 0 to 3 of the template) that fits one SMS."""
    text = ""
    for level in range(4):
        text = gsm7(_one_line(render(template, level=level, **values)))
        if gsm7_length(text) <= SMS_LIMIT:
            return text
    return text  # an unusually long BASE_URL: the shortest wording, split by the carrier


# --- values every client message shares --------------------------------------------------------
def client_values(appointment: Appointment, client: Client, settings: PracticeSettings, link: str,
                  **extra: Any) -> dict:
    video = appointment.mode is Mode.TELE
    values = dict(
        first_name=client.first_name, practice=settings.display_name,
        when=wording.message_when(appointment.start, client.timezone),
        spoken_when=wording.when(appointment.start, client.timezone, compact=True),
        day=wording.day(appointment.start, client.timezone),
        link=link, video=video, mode="by video" if video else "in person",
        join_url=appointment.join_url if video else "",
        location="" if video else appointment.location,
        contact_phone=settings.contact_phone,
        # A "Yes, I'll be there" button opens the page that asks to confirm (GET changes nothing).
        confirm_link=f"{link}/confirm",
        confirmed=appointment.status is Status.CONFIRMED,
    )
    values.update(extra)
    return values


def _email(to: str, subject: str, name: str, values: dict, attachments: Iterable[Attachment] = ()) -> Email:
    return Email(to=to, subject=subject, text=render(f"{name}.txt", **values),
                 html=render(f"{name}.html", **values), attachments=tuple(attachments))


def calendar_attachment(appointment: Appointment, client: Client, therapist: Therapist, settings: PracticeSettings,
                        link: str, now: datetime) -> Attachment:
    data = ics_bytes(appointment, client, therapist, settings, link, now=now)
    return Attachment(filename_for(appointment, client.timezone), CONTENT_TYPE, data)


# --- reminders and the nudge -------------------------------------------------------------------
def how_soon(appointment: Appointment, now: datetime, zone_name: str) -> str:
    days = (to_local(appointment.start, zone_name).date() - to_local(now, zone_name).date()).days
    return {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")


def reminder_email(values: dict, to: str, attachment: Attachment | None, nudge: bool = False) -> Email:
    if nudge:
        subject = f"Can you still make it on {values['when']}?"
        return _email(to, subject, "reminder_nudge", values)
    subject = f"Reminder: your session {values['soon']}, {values['when']}"
    return _email(to, subject, "reminder_email", values, [attachment] if attachment else [])


def reminder_sms(values: dict, nudge: bool = False) -> str:
    return fit_sms("sms_nudge.txt" if nudge else "sms_reminder.txt", **values)


def reminder_voice(values: dict) -> str:
    return _one_line(render("voice_reminder.txt", **values))


# --- follow-up after a missed session ------------------------------------------------------------
def followup_email(values: dict, to: str) -> Email:
    return _email(to, f"We missed you, {values['first_name']}", "followup_email", values)


def followup_sms(values: dict) -> str:
    return fit_sms("sms_followup.txt", **values)


# --- check-ins ----------------------------------------------------------------------------------
def checkin_email(values: dict, to: str) -> Email:
    return _email(to, f"How are you doing, {values['first_name']}?", "checkin_email", values)


def checkin_sms(values: dict) -> str:
    return fit_sms("sms_checkin.txt", **values)


def checkin_therapist_email(to: str, **values: Any) -> Email:
    subject = f"New check-in from {values['client_name']}"
    return Email(to=to, subject=subject, text=render("checkin_therapist.txt", **values))


# --- SMS replies -------------------------------------------------------------------------------
def reply_sms(kind: str, **values: Any) -> str:
    """Answers to a client's text: confirmed, reschedule, video, inbox, help, stop, start, ..."""
    values.setdefault("practice", "")
    values.setdefault("first_name", "")
    return fit_sms("sms_reply.txt", kind=kind, **values)


# --- a fresh link, asked for from an expired link's page -------------------------------------
def fresh_link_email(values: dict, to: str) -> Email:
    return _email(to, "Your fresh link", "fresh_link", values)


# --- the therapist's morning digest ---------------------------------------------------------------
def digest_email(to: str, **values: Any) -> Email:
    return _email(to, values["subject"], "digest_email", values)
