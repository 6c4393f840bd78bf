"""Message text: one 160-character GSM-7 SMS with the link, multipart email with the .ics, voice."""
from datetime import datetime, timedelta, timezone
from email import message_from_bytes

import pytest

from devstack.seed import CLIENTS, SETTINGS, THERAPISTS
from portal.adapters.aws.senders import build_mime
from portal.domain import wording
from portal.domain.model import Appointment, Mode, Status
from portal.links import Links
from portal.services.messaging import compose
from tests import builders
from tests.conftest import TEST_SECRET

SEEDED_THERAPISTS = {t.id: t for t, _ in THERAPISTS}
# Dev's BASE_URL and a longer, production-like one.
BASE_URLS = ("http://127.0.0.1:5000", "https://portal.riverbend-practice.example")
# The widest day and time the format makes: "Wed Sep 30, 12:30 PM EDT".
WIDE_START = datetime(2026, 9, 30, 16, 30, tzinfo=timezone.utc)


def seeded_clients():
    return [builders.client(cid=cid, tid=tid, first_name=first, last_name=last, phone=phone,
                            zone=zone, channels=channels)
            for cid, tid, first, last, phone, zone, channels in CLIENTS]


def session_for(client, mode=Mode.TELE, appointment_id="demomche19"):
    therapist = SEEDED_THERAPISTS[client.therapist_id]
    return Appointment(appointment_id, therapist.id, client.id, WIDE_START,
                       WIDE_START + timedelta(minutes=50), mode,
                       join_url=therapist.tele_room_url or "https://meet.example.org/attune-x")


def every_sms(links, appointment, client):
    link = links.appointment_url(appointment)
    values = compose.client_values(appointment, client, SETTINGS, link,
                                   reschedule_link=links.appointment_url(appointment, "/reschedule"),
                                   rebook_link=links.appointment_url(appointment, "/rebook"),
                                   checkin_link=links.checkin_url(appointment),
                                   short_day="Wed Sep 30", next_when="", next_link="")
    texts = {
        "reminder": compose.reminder_sms(values), "nudge": compose.reminder_sms(values, nudge=True),
        "followup": compose.followup_sms(values), "checkin": compose.checkin_sms(values),
        "followup+next": compose.followup_sms({**values, "next_when": wording.message_when(WIDE_START, client.timezone),
                                               "next_link": link}),
    }
    for kind in ("confirmed", "already_confirmed", "reschedule", "video", "no_video"):
        texts[f"reply:{kind}"] = compose.reply_sms(kind, **values)
    return texts, values


@pytest.mark.parametrize("base_url", BASE_URLS)
def test_every_sms_fits_one_gsm7_message_with_its_link_for_every_seeded_client(base_url):
    links = Links(TEST_SECRET, base_url, 7)
    for client in seeded_clients():
        for mode in Mode:
            appointment = session_for(client, mode, "a" * 10)  # ids as long as new_id() makes
            texts, values = every_sms(links, appointment, client)
            for kind, text in texts.items():
                assert compose.gsm7_length(text) <= compose.SMS_LIMIT, (kind, len(text), text)
                assert compose.gsm7(text) == text, kind
                assert client.first_name in text and SETTINGS.display_name in text, (kind, text)
                assert base_url in text or appointment.join_url in text, (kind, text)


def test_sms_prefers_the_fullest_wording_that_fits():
    client = seeded_clients()[0]
    links = Links(TEST_SECRET, "https://x.example", 7)
    narrow = Appointment("demomche19", "mchen1", client.id, datetime(2026, 3, 2, 20, 0, tzinfo=timezone.utc),
                         datetime(2026, 3, 2, 20, 50, tzinfo=timezone.utc), Mode.TELE)
    for appointment, opening in (
            (narrow, "Riverbend Counseling: Hi Alex, see you Mon Mar 2, 3 PM EST. Confirm or"),
            (session_for(client), "Riverbend Counseling: Alex, see you Wed Sep 30, 12:30 PM EDT. Confirm/")):
        values = compose.client_values(appointment, client, SETTINGS, links.appointment_url(appointment))
        assert compose.reminder_sms(values).startswith(opening)


def test_gsm7_keeps_names_readable_and_counts_extended_characters_twice():
    assert compose.gsm7("Zoë Łukasz José it’s 李") == "Zoe Lukasz José it's ?"
    assert compose.gsm7_length("[a]") == 5 and compose.gsm7_length("abc") == 3


def test_reminder_email_is_text_and_html_with_the_calendar_file_attached():
    client = seeded_clients()[0]
    therapist = SEEDED_THERAPISTS[client.therapist_id]
    links = Links(TEST_SECRET, BASE_URLS[0], 7)
    appointment = session_for(client)
    link = links.appointment_url(appointment)
    now = WIDE_START - timedelta(hours=24)
    values = compose.client_values(appointment, client, SETTINGS, link,
                                   soon=compose.how_soon(appointment, now, client.timezone),
                                   reschedule_link=links.appointment_url(appointment, "/reschedule"))
    attachment = compose.calendar_attachment(appointment, client, therapist, SETTINGS, link, now)
    email = compose.reminder_email(values, client.email, attachment)
    assert email.subject == "Reminder: your session tomorrow, Wed Sep 30, 12:30 PM EDT"
    assert link in email.text and f'href="{link}"' in email.html
    assert "Join by video: https://meet.example.org/riverbend-maya" in email.text
    parsed = message_from_bytes(build_mime(email, "reminders@example.org"))
    kinds = [part.get_content_type() for part in parsed.walk()]
    assert kinds == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"]
    ics = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    assert ics.get_filename() == "attune-2026-09-30.ics"
    from icalendar import Calendar

    event = Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")[0]
    assert event["UID"] == "demomche19@attune"


def test_html_escapes_what_a_person_typed():
    client = builders.client(first_name="<b>Al</b>")
    appointment = session_for(builders.client(tid="mchen1"))
    values = compose.client_values(appointment, client, SETTINGS, "https://x.example/a/t",
                                   soon="tomorrow", reschedule_link="https://x.example/a/t/reschedule")
    email = compose.reminder_email(values, "a@example.com", None)
    assert "<b>Al</b>" not in email.html and "&lt;b&gt;Al&lt;/b&gt;" in email.html


def test_client_values_word_the_session_in_the_clients_own_zone():
    client = builders.client(zone="America/Chicago")
    values = compose.client_values(session_for(seeded_clients()[0]), client, SETTINGS, "https://x.example/a/t")
    assert values["when"] == "Wed Sep 30, 11:30 AM CDT"  # short enough for one SMS
    assert values["spoken_when"] == "Wednesday, September 30 at 11:30 AM"
    assert values["day"] == "Wednesday, September 30"


def test_voice_text_is_spoken_dates_and_no_links():
    client = seeded_clients()[3]  # Sam: text and voice
    appointment = session_for(client, Mode.IN_PERSON)
    values = compose.client_values(appointment, client, SETTINGS, "https://x.example/a/t")
    spoken = compose.reminder_voice({**values, "nudge": False})
    assert spoken.startswith("Hello Sam. This is Riverbend Counseling, with a reminder of your "
                             "session on Wednesday, September 30 at 12:30 PM.")
    assert "http" not in spoken and "+1 202-555-0100" in spoken


def test_how_soon_counts_calendar_days_in_the_clients_zone():
    appointment = Appointment("a", "t", "c", WIDE_START, WIDE_START + timedelta(minutes=50),
                              Mode.TELE, status=Status.SCHEDULED)
    zone = "America/New_York"
    assert compose.how_soon(appointment, WIDE_START - timedelta(hours=2), zone) == "today"
    assert compose.how_soon(appointment, WIDE_START - timedelta(hours=24), zone) == "tomorrow"
    assert compose.how_soon(appointment, WIDE_START - timedelta(hours=72), zone) == "in 3 days"
