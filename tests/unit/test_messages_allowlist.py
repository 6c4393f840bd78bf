"""Every message a client can get holds only the minimum: first name, the practice's display name,
day and time, links. Never the last name, the therapist's name or email, or a clinical word.

Rendered for every seeded client and both modes: reminders, nudges, follow-ups, check-ins,
SMS replies and the change confirmations (templates/messages/change_*), by email (text, HTML,
and the attached calendar file), SMS and voice.
"""
import re
from datetime import datetime, timedelta, timezone

import pytest

from devstack.seed import CLIENTS, SETTINGS, THERAPISTS
from portal.domain.model import Appointment, Mode
from portal.links import Links
from portal.services.messaging import compose
from tests import builders
from tests.conftest import TEST_SECRET

CLINICAL = ("therap", "diagnos", "mental", "psychiatr", "psycholog", "counsel", "depress",
            "anxiety", "anxious", "treatment", "clinic", "disorder", "medicat", "trauma", "suicid",
            "bipolar", "schizo", "psychos", "patient", "symptom", "illness")
URL = re.compile(r"https?://\S+")
START = datetime(2026, 3, 10, 21, 0, tzinfo=timezone.utc)
THERAPIST_BY_ID = {t.id: t for t, _ in THERAPISTS}
LINKS = Links(TEST_SECRET, "http://127.0.0.1:5000", 7)


def seeded():
    for cid, tid, first, last, phone, zone, channels in CLIENTS:
        client = builders.client(cid=cid, tid=tid, first_name=first, last_name=last, phone=phone,
                                 zone=zone, channels=channels, email=f"{first.lower()}.{last.lower()}@example.com")
        therapist = THERAPIST_BY_ID[tid]
        for mode in Mode:
            appointment = Appointment(f"demo{tid[:4]}07", tid, cid, START, START + timedelta(minutes=50),
                                      mode, location="Riverbend Counseling, 14 Elm Street, Suite 210",
                                      join_url=therapist.tele_room_url if mode is Mode.TELE else "")
            yield client, therapist, appointment


def rendered(client, therapist, appointment):
    """(name, text, needs) for every message: needs says what it must carry."""
    link = LINKS.appointment_url(appointment)
    values = compose.client_values(
        appointment, client, SETTINGS, link, soon="tomorrow", nudge=False,
        reschedule_link=LINKS.appointment_url(appointment, "/reschedule"),
        rebook_link=LINKS.appointment_url(appointment, "/rebook"), checkin_link=LINKS.checkin_url(appointment),
        short_day="Tue Mar 10", next_when="", next_link="", scores=(("1", "Struggling"), ("5", "Really good")))
    ics = compose.calendar_attachment(appointment, client, therapist, SETTINGS, link, START)
    out = []
    for name, email in (("reminder", compose.reminder_email(values, client.email, ics)),
                        ("nudge", compose.reminder_email(values, client.email, None, nudge=True)),
                        ("followup", compose.followup_email(values, client.email)),
                        ("followup+next", compose.followup_email({**values, "next_when": "Tue Mar 17, 4 PM EDT",
                                                                  "next_link": link}, client.email)),
                        ("checkin", compose.checkin_email(values, client.email))):
        out += _email(name, email)
    full = {"first", "practice", "link"}
    out += [("sms reminder", compose.reminder_sms(values), full),
            ("sms nudge", compose.reminder_sms(values, nudge=True), full),
            ("sms followup", compose.followup_sms(values), full),
            ("sms checkin", compose.checkin_sms(values), full),
            ("voice reminder", compose.reminder_voice(values), {"first", "practice"}),
            ("voice nudge", compose.reminder_voice({**values, "nudge": True}), {"first", "practice"})]
    for kind in ("confirmed", "already_confirmed", "reschedule", "video", "no_video"):
        out.append((f"reply {kind}", compose.reply_sms(kind, **values), full))
    for kind in ("no_session", "inbox"):
        out.append((f"reply {kind}", compose.reply_sms(kind, **values), {"first", "practice"}))
    for kind in ("help", "stop", "start"):
        out.append((f"reply {kind}", compose.reply_sms(kind, **values), {"practice"}))
    return out + change_messages(client, therapist, appointment)


def _email(name, email):
    full = {"first", "practice", "link"}
    parts = [(f"{name} subject", email.subject, set()), (f"{name} text", email.text, full),
             (f"{name} html", email.html, full)]
    parts += [(f"{name} {a.filename}", a.data.decode(), set()) for a in email.attachments]
    return parts


def change_messages(client, therapist, appointment):
    """The change confirmations another part of the app sends, when present."""
    try:
        from portal.services.client import notify
    except ImportError:
        return []
    out = []
    link = LINKS.appointment_url(appointment)
    for kind in notify.KINDS:
        email = notify.change_email(kind, appointment, client, therapist, SETTINGS, link, START,
                                    LINKS.appointment_url(appointment, "/rebook"))
        out += _email(f"change {kind}", email)
        values = notify._values(kind, appointment, client, SETTINGS, link)
        out.append((f"change {kind} sms", notify.sms_text(values), {"first", "practice", "link"}))
        out.append((f"change {kind} voice", notify.render("change_voice.txt", **values), {"first", "practice"}))
    return out


CASES = list(seeded())


@pytest.mark.parametrize("client, therapist, appointment", CASES,
                         ids=[f"{c.first_name}-{a.mode.value}" for c, t, a in CASES])
def test_every_message_holds_only_the_minimum(client, therapist, appointment):
    messages = rendered(client, therapist, appointment)
    assert len(messages) > 40
    for name, text, needs in messages:
        if "first" in needs:
            assert client.first_name in text, name
        if "practice" in needs:
            assert SETTINGS.display_name in text, name
        if "link" in needs:
            assert "http://127.0.0.1:5000/a/" in text or "http://127.0.0.1:5000/c/" in text or \
                (appointment.join_url and appointment.join_url in text), name
        words = URL.sub(" ", text)  # a random token may spell anything
        assert not re.search(rf"\b{re.escape(client.last_name)}\b", words), (name, "last name")
        assert therapist.email not in text, (name, "therapist email")
        assert therapist.name not in words, (name, "therapist name")
        assert not re.search(rf"\b{re.escape(therapist.name.split()[-1])}\b", words), (name, "therapist name")
        plain = words.lower().replace(SETTINGS.display_name.lower(), " ")  # the practice chose its name
        found = [w for w in CLINICAL if w in plain]
        assert not found, (name, found, text)


def test_a_number_we_dont_know_learns_nothing():
    for kind in ("unknown", "unknown_stop", "unknown_help"):
        text = compose.reply_sms(kind)
        assert SETTINGS.display_name not in text and "http" not in text
        assert not any(first in text for _, _, first, *_ in CLIENTS)


def test_the_clinical_list_catches_what_it_should():
    caught = [w for w in CLINICAL if w in "your teletherapy session at the clinic"]
    assert caught == ["therap", "clinic"]
