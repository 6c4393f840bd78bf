"""Change confirmations and the therapist's notice: the minimum, warm, and short enough for SMS."""
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest

from devstack.seed import CLIENTS, SETTINGS
from portal.adapters.aws.senders import build_mime
from portal.domain.model import Appointment, Barrier, Channel, Mode, PracticeSettings, Status
from portal.links import Links
from portal.services.client import notify
from tests import builders
from tests.conftest import TEST_SECRET

GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
           "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
# The longest values the demo can produce: its longest first name, the practice's name, a
# two-digit day and hour with minutes, and seed-shaped ids (and 10-character ones, as made live).
LONGEST_FIRST = max((first for _, _, first, *_ in CLIENTS), key=len)
LONGEST_START = datetime(2026, 9, 30, 16, 30, tzinfo=timezone.utc)  # Wed Sep 30, 12:30 PM EDT
CLINICAL = ("therap", "diagnos", "treatment", "mental", "anxi", "counsel", "illness", "crisis",
            "transport", "barrier")


def appointment(aid="demomche09", cid="chann09", tid="mchen1", mode=Mode.TELE, **kw):
    values = dict(start=LONGEST_START, end=LONGEST_START + timedelta(minutes=50), mode=mode,
                  join_url="https://meet.example.org/riverbend-maya" if mode is Mode.TELE else "",
                  location="Riverbend Counseling, 14 Elm Street, Suite 210", version=3)
    values.update(kw)
    return Appointment(aid, tid, cid, **values)


def people(cid="chann09", tid="mchen1", **client_kw):
    t = builders.therapist(tid=tid, name="Maya Chen")
    c = builders.client(cid=cid, tid=tid, first_name=LONGEST_FIRST, last_name="Kowalski", **client_kw)
    return t, c


@pytest.mark.parametrize("kind", notify.KINDS)
@pytest.mark.parametrize("ids, base", [
    (("demomche09", "chann09", "mchen1"), "http://127.0.0.1:5000"),
    (("k9uewmahyx", "q2w3e4r5t6", "z8x7c6v5b4"), "https://portal.test"),
])
def test_every_sms_fits_one_gsm7_message_with_the_longest_demo_values(kind, ids, base):
    links = Links(TEST_SECRET, base)
    a = appointment(*ids)
    t, c = people(ids[1], ids[2])
    values = notify._values(kind, a, c, SETTINGS, links.appointment_url(a))
    text = notify.sms_text(values)
    assert len(text) <= 160 and set(text) <= GSM7, (len(text), text)
    assert LONGEST_FIRST in text and "Wed Sep 30, 12:30 PM EDT" in text
    assert text.endswith(links.appointment_url(a))
    if base.startswith("http://127.0.0.1"):  # the demo's own values keep the practice's name
        assert text.startswith("Riverbend Counseling: ")


@pytest.mark.parametrize("first_name", ["Siobhán", "Zoë", "Łukasz"])
def test_names_outside_gsm7_never_turn_a_text_into_several(first_name):
    """One accented letter outside GSM-7 would switch the whole text to UCS-2 (70 a part)."""
    links = Links(TEST_SECRET, "https://portal.test")
    a = appointment("k9uewmahyx", "q2w3e4r5t6", "z8x7c6v5b4")
    t, c = people()
    from dataclasses import replace

    c = replace(c, first_name=first_name)
    text = notify.sms_text(notify._values("confirmed", a, c, SETTINGS, links.appointment_url(a)))
    assert len(text) <= 160 and set(text) <= GSM7, text


@pytest.mark.parametrize("base, starts", [
    ("https://rb.example", "Riverbend Counseling: "),
    ("https://care.riverbend-counseling.example", f"{LONGEST_FIRST}, new time: "),
    ("https://care.riverbend-counseling-and-wellness.example", f"{LONGEST_FIRST}, your session changed: "),
])
def test_a_long_base_url_shortens_the_words_never_the_link(base, starts):
    links = Links(TEST_SECRET, base)
    a = appointment("k9uewmahyx", "q2w3e4r5t6", "z8x7c6v5b4")
    t, c = people()
    text = notify.sms_text(notify._values("rescheduled", a, c, SETTINGS, links.appointment_url(a)))
    assert len(text) <= 160 and text.startswith(starts) and text.endswith(links.appointment_url(a))


def sent(deps, kind, a, c, t, settings=SETTINGS):
    outcome = notify.send_change(deps, kind, a, c, t, settings)
    return outcome, deps.notifier.sent


@pytest.mark.parametrize("kind", notify.KINDS)
def test_messages_carry_only_the_minimum(deps, kind):
    t, c = people(channels=(Channel.EMAIL, Channel.SMS))
    status = Status.CANCELLED if kind == "cancelled" else Status.CONFIRMED
    a = appointment(status=status, barrier=Barrier.ILLNESS, note="private words")
    outcome, messages = sent(deps, kind, a, c, t)
    assert outcome == {"email": "sent", "sms": "sent"}
    email = messages[0][2]
    texts = [email.subject, email.text, email.html, messages[1][2]]
    for text in texts:
        lowered = text.replace(SETTINGS.display_name, "").lower()
        assert "kowalski" not in lowered and "maya chen" not in lowered and "private words" not in lowered
        assert not [w for w in CLINICAL if w in lowered], text
    assert all(LONGEST_FIRST in text for text in texts[1:])
    assert "Wed Sep 30, 12:30 PM EDT" in email.subject
    link = deps.links.appointment_url(a)
    assert link in email.text and link in email.html and link in messages[1][2]


def test_email_is_text_and_html_with_the_calendar_file(deps):
    t, c = people(channels=(Channel.EMAIL,))
    a = appointment()
    sent(deps, "rescheduled", a, c, t)
    [(channel, to, email)] = deps.notifier.sent
    assert (channel, to) == ("email", c.email)
    parsed = message_from_bytes(build_mime(email, "reminders@example.org"), policy=policy.default)
    kinds = [part.get_content_type() for part in parsed.walk()]
    assert kinds[:1] == ["multipart/mixed"]
    assert "text/plain" in kinds and "text/html" in kinds and "text/calendar" in kinds
    [ics] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert ics.get_filename() == "attune-2026-09-30.ics"
    assert b"UID:demomche09@attune" in ics.get_payload(decode=True)
    assert "https://meet.example.org/riverbend-maya" in email.text  # the join link, for video
    assert "Join by video" in email.html


def test_a_cancellation_points_to_booking_a_new_time(deps):
    t, c = people()
    a = appointment(status=Status.CANCELLED)
    sent(deps, "cancelled", a, c, t)
    email = deps.notifier.of("email")[0][2]
    assert deps.links.appointment_url(a, "/rebook") in email.text
    assert "Thank you for letting us know" in email.text


def test_channels_follow_the_clients_choices(deps):
    t, c = people(channels=(Channel.SMS,), sms_opted_out=True)
    outcome, messages = sent(deps, "confirmed", appointment(), c, t)
    assert outcome == {} and messages == []
    t, voice_only = people(channels=(Channel.VOICE,))
    outcome, messages = sent(deps, "confirmed", appointment(), voice_only, t)
    assert outcome == {"voice": "sent"}
    assert "http" not in messages[0][2] and LONGEST_FIRST in messages[0][2]


def test_a_provider_failure_is_reported_not_raised(deps, notifier):
    from botocore.exceptions import ClientError

    t, c = people(channels=(Channel.EMAIL, Channel.SMS))

    def fail(channel):
        if channel == "email":
            raise ClientError({"Error": {"Code": "MessageRejected", "Message": "no"}}, "SendRawEmail")
        return True  # and the SMS is throttled

    notifier.throttle = fail
    outcome, _ = sent(deps, "confirmed", appointment(), c, t)
    assert outcome == {"email": "failed", "sms": "failed"}


def test_the_therapist_notice_says_only_who_and_links_to_the_session(deps):
    t, c = people()
    a = appointment(status=Status.LATE_CANCELLED, barrier=Barrier.COST,
                    note="Money is tight this month <3")
    assert notify.notify_therapist_of_cancel(deps, a, c, t, PracticeSettings(late_cancel_hours=24)) == "sent"
    [(channel, to, email)] = deps.notifier.sent
    assert to == t.email
    assert email.subject == f"{LONGEST_FIRST} K. cancelled a session"
    assert f"/t/appointments/{a.id}" in email.text and f"{LONGEST_FIRST} K." in email.text
    for private in ("late-cancel", "cost", "Money is tight", "Sep 30"):  # signed-in page only
        assert private not in email.subject + email.text
    assert "Kowalski" not in email.text
