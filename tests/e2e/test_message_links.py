"""Every button and link in every message lands on a page that does what its words say.

Each message kind is rendered as the app sends it (reminder, nudge, follow-up, check-in,
change confirmations, SMS replies), every link is opened through the Flask test client, and
the page it lands on is held to the words next to the link.
"""
import html
import re
from datetime import timedelta

import pytest

from portal.domain.model import Status
from portal.services.client import notify
from portal.services.messaging import compose
from tests.conftest import BASE_URL
from tests.e2e.test_client_journeys import SOON, Web, text_of

ANCHOR = re.compile(r'<a href="([^"]+)"[^>]*>(.*?)</a>', re.S)
URL = re.compile(r"https://portal\.test/\S+")


def values_for(web, a, **extra):
    link = web.links.appointment_url(a)
    values = dict(soon="tomorrow", nudge=False,
                  reschedule_link=web.links.appointment_url(a, "/reschedule"),
                  rebook_link=web.links.appointment_url(a, "/rebook"),
                  checkin_link=web.links.checkin_url(a), short_day="Tue Mar 10", next_when="",
                  next_link=link, scores=(("1", "Struggling"), ("4", "Good")))
    return compose.client_values(a, web.client, web.store.get_settings(), link, **{**values, **extra})


def html_buttons(email):
    return [(html.unescape(href), html.unescape(re.sub(r"<[^>]+>", "", label)).strip())
            for href, label in ANCHOR.findall(email.html)
            if href.startswith(BASE_URL)]


def land(web, url):
    answer = web.http.get(url.removeprefix(BASE_URL).replace("&amp;", "&"))
    assert answer.status_code == 200, url
    return answer


def is_confirm_page(answer):
    body = answer.get_data(as_text=True)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S).group(1)
    button = re.search(r'<button type="submit" class="btn-primary"[^>]*>([^<]+)</button>', body)
    return heading.startswith("Confirm ") and heading.endswith("with Maya Chen?") and \
        button is not None and button.group(1) == "Confirm"


EXPECT = {  # the words on a button -> what the page it opens must show
    "Yes, I'll be there": is_confirm_page,
    "Choose another time": lambda page: "<h1>Choose another time</h1>" in page.get_data(as_text=True),
    "choose another time": lambda page: "<h1>Choose another time</h1>" in page.get_data(as_text=True),
    "Pick a new time": lambda page: "<h1>Book a new time</h1>" in page.get_data(as_text=True),
    "See your session": lambda page: "here is your session" in text_of(page),
    "See your next session": lambda page: "here is your session" in text_of(page),
    "Other choices, or cancel": lambda page: "I can't make it" in text_of(page),
    "see all your choices": lambda page: "I can't make it" in text_of(page),
    "See your session or make a change": lambda page: "Choose another time" in text_of(page),
}


@pytest.fixture
def web(app, deps):
    return Web(app, deps)


def test_every_email_button_lands_where_its_words_say(web):
    a = web.book()
    v = values_for(web, a)
    missed = values_for(web, web.book(a.start + timedelta(days=7), status=Status.NO_SHOW),
                        next_when="Thu", next_link=web.links.appointment_url(a))
    emails = [compose.reminder_email(v, "x@example.com", None),
              compose.reminder_email(v, "x@example.com", None, nudge=True),
              compose.followup_email({**missed, "next_when": ""}, "x@example.com"),
              compose.followup_email(missed, "x@example.com")]
    emails += [notify.change_email(kind, a, web.client, web.therapist, web.store.get_settings(),
                                   web.links.appointment_url(a), web.clock.now(),
                                   web.links.appointment_url(a, "/rebook"))
               for kind in ("confirmed", "rescheduled", "mode", "rebooked")]
    seen = set()
    for email in emails:
        for href, label in html_buttons(email):
            assert label in EXPECT, (email.subject, label)
            assert EXPECT[label](land(web, href)), (email.subject, label, href)
            seen.add(label)
    assert {"Yes, I'll be there", "Choose another time", "Pick a new time"} <= seen


def test_a_confirmed_client_is_not_asked_to_confirm_again(web):
    a = web.book(status=Status.CONFIRMED)
    v = values_for(web, a)
    email = compose.reminder_email(v, "x@example.com", None)
    assert "You're confirmed. Your session is tomorrow: Thu Mar 5" in email.text
    assert "You're confirmed. Your session is tomorrow:" in email.html
    later = web.book(a.start + timedelta(days=6), status=Status.CONFIRMED)
    soon = compose.how_soon(later, web.clock.now(), web.client.timezone)
    later_email = compose.reminder_email(values_for(web, later, soon=soon), "x@example.com", None)
    assert soon.startswith("in ") and "confirmed for in" not in later_email.text  # issue 18 item 7
    assert f"You're confirmed. Your session is {soon}: Wed Mar 11" in later_email.text
    assert "Yes, I'll be there" not in email.html and "/confirm" not in email.text
    assert "confirmed" in compose.reminder_sms(v) and "Confirm" not in compose.reminder_sms(v)
    assert "You're confirmed" in compose.reminder_voice(v)
    unconfirmed = compose.reminder_sms(values_for(web, web.book(a.start + timedelta(days=7))))
    assert "Confirm" in unconfirmed


def test_the_confirm_page_asks_one_thing_and_changes_nothing_until_the_tap(web):
    a = web.book()
    before = web.snapshot()
    page = web.get(a, "/confirm")
    assert is_confirm_page(page) and "Thursday, March 5 at 10:00 AM" in text_of(page)
    assert web.snapshot() == before and web.notifier.sent == []
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    done = web.http.post(web.path(a, "/confirm"), data={"csrf_token": token, "version": a.version})
    assert done.status_code == 302 and web.stored(a).status is Status.CONFIRMED
    again = web.get(a, "/confirm")
    assert "You're confirmed for" in text_of(again) and "btn-primary" not in again.get_data(as_text=True)


def test_each_check_in_score_button_opens_the_page_with_that_score_not_yet_sent(web):
    a = web.book(SOON + timedelta(days=6))
    email = compose.checkin_email(values_for(web, a), "x@example.com")
    buttons = html_buttons(email)
    assert [label for _, label in buttons] == ["Struggling", "Good"]
    for href, label in buttons:
        page = land(web, href)
        words = text_of(page)
        assert f"You chose: {href[-1]} · {label}." in words and "Not sent yet" in words
        assert re.search(rf'value="{href[-1]}"[^>]* checked>', page.get_data(as_text=True))
    assert web.store.checkin_answer_for(web.client.id, a.id) is None
    assert "one tap" not in email.text.lower() and "one tap" not in compose.checkin_sms(values_for(web, a)).lower()


def test_every_text_message_link_opens_a_page(web):
    a = web.book()
    v = values_for(web, a)
    missed = values_for(web, web.book(a.start + timedelta(days=7), status=Status.NO_SHOW))
    texts = [compose.reminder_sms(v), compose.reminder_sms(v, nudge=True), compose.checkin_sms(v),
             compose.followup_sms(missed), compose.reminder_email(v, "x", None).text,
             compose.reminder_email(v, "x", None, nudge=True).text]
    texts += [compose.reply_sms(kind, **v) for kind in ("confirmed", "reschedule", "no_video")]
    for text in texts:
        for url in URL.findall(text):
            page = land(web, url)
            if url.endswith("/confirm"):
                assert is_confirm_page(page)
                assert "open this link and tap Confirm" in text
            if url.endswith("/reschedule"):
                assert "<h1>Choose another time</h1>" in page.get_data(as_text=True)
