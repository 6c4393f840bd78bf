"""The one-tap check-in page through the Flask test client, on the in-memory fakes."""
import re
from datetime import timedelta

import pytest

from portal.domain.audit import Actor
from portal.domain.model import Barrier, Mode, PracticeSettings, Status
from portal.links import CHECKIN_SALT
from portal.services.sessions.booking import record_booking
from portal.services.workspace.dashboard import latest_checkin
from tests import builders
from tests.conftest import BASE_URL, T0

SETTINGS = PracticeSettings(display_name="Riverbend Counseling", contact_phone="+1 202-555-0100",
                            crisis_text="In a crisis, call or text 988.")


class Web:
    def __init__(self, client, deps):
        store, links = deps.store, deps.links
        self.http = client
        self.store, self.notifier, self.links, self.deps = store, deps.notifier, links, deps
        store.save_settings(SETTINGS)
        self.therapist, self.client = builders.practice(store)
        self.next = record_booking(self.deps, self.therapist, self.client, T0 + timedelta(days=3, hours=1),
                                   Mode.IN_PERSON, actor=Actor.system("test"))
        self.path = links.checkin_url(self.next).removeprefix(BASE_URL)

    def csrf(self, path=None):
        page = self.http.get(path or self.path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def answer(self, **fields):
        return self.http.post(self.path, data={"csrf_token": self.csrf(), **fields})

    def nothing_written(self):
        return (self.store.latest_checkins([self.client.id]) == {}
                and self.store.inbox(self.therapist.id) == [] and self.notifier.sent == [])


@pytest.fixture
def web(client, deps):
    return Web(client, deps)


def test_get_and_head_only_show_the_form(web):
    page = web.http.get(web.path)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "How are you doing, Alex?" in text
    assert "Is anything getting in the way of your next session, Thursday, March 5?" in text
    assert 'name="score" value="3"' in text and "checked" not in text.split('name="barrier"')[0]
    assert "Getting there (transportation)" in text
    assert web.http.head(web.path).status_code == 200
    chosen = web.http.get(web.path + "?score=2").get_data(as_text=True)
    assert re.search(r'id="score-2" name="score" value="2" checked', chosen)
    assert web.nothing_written()
    assert web.store.get_client(web.client.id).checkins_enabled is True


def test_an_answer_is_stored_the_therapist_hears_and_help_is_offered(web, clock):
    sent = web.answer(score="2", barrier="transport", note="The bus route changed")
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(f"{web.path}/thanks")  # the answer stays server-side
    stored = latest_checkin(web.deps, web.client.id)
    assert (stored.score, stored.barrier, stored.note, stored.at) == \
        (2, "transport", "The bus route changed", clock.now())
    [item] = web.store.inbox(web.therapist.id)
    assert (item.kind, item.barrier, item.appointment_id) == ("checkin", Barrier.TRANSPORT, web.next.id)
    [(_, to, email)] = web.notifier.sent
    assert to == web.therapist.email and email.subject == "New check-in from Alex R."
    thanks = web.http.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Thank you, Alex" in thanks and "You could join by video instead" in thanks
    token = web.links.token(web.next)
    assert f'action="/a/{token}/mode"' in thanks and 'value="tele"' in thanks


def test_a_low_score_alone_shows_support_and_the_crisis_line(web):
    sent = web.answer(score="1")
    thanks = web.http.get(sent.headers["Location"]).get_data(as_text=True)
    assert "sorry things are hard" in thanks and "call or text 988" in thanks
    assert "+1 202-555-0100" in thanks


def test_a_good_answer_just_says_thank_you(web):
    thanks = web.http.get(web.answer(score="5").headers["Location"]).get_data(as_text=True)
    assert "Thank you, Alex" in thanks and "Your next session is" in thanks
    assert 'id="crisis-h"' not in thanks and SETTINGS.crisis_text not in thanks  # only the quiet line
    assert web.store.inbox(web.therapist.id) == [] and web.notifier.sent == []


@pytest.mark.parametrize("fields, message", [
    ({}, "Please choose one answer, from 1 to 5, then tap Send my check-in."),
    ({"score": "9"}, "Please pick how you&#39;re doing, from 1 to 5."),
    ({"score": "3", "barrier": "money"}, "Please pick one of the choices shown."),
    ({"score": "3", "note": "x" * 501}, "Please keep your note under 500 characters."),
])
def test_bad_answers_re_render_the_form_in_plain_words_and_store_nothing(web, fields, message):
    page = web.answer(**fields)
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and message in text and "How are you doing, Alex?" in text
    assert web.nothing_written()


def test_a_post_without_its_csrf_token_is_refused(web):
    page = web.http.post(web.path, data={"score": "4"})
    assert page.status_code == 400 and "This page was open for a while" in page.get_data(as_text=True)
    assert web.nothing_written()


def test_check_ins_can_be_turned_off_and_back_on_from_the_page(web):
    off = web.http.post(web.path + "/off", data={"csrf_token": web.csrf()}, follow_redirects=True)
    assert "we won&#39;t send you check-in messages" in off.get_data(as_text=True)
    assert web.store.get_client(web.client.id).checkins_enabled is False
    assert "Turn check-in messages back on" in off.get_data(as_text=True)
    web.http.post(web.path + "/on", data={"csrf_token": web.csrf()})
    assert web.store.get_client(web.client.id).checkins_enabled is True
    assert web.http.post(web.path + "/off").status_code == 400  # no token, no change
    assert web.store.get_client(web.client.id).checkins_enabled is True


def test_bad_links_get_a_friendly_page_and_no_data(web, clock):
    appointment_token = web.links.token(web.next)  # a reminder link's token opens no check-in
    for path in (f"/c/{appointment_token}", web.path[:-3] + "abc", "/c/nonsense"):
        page = web.http.get(path)
        text = page.get_data(as_text=True)
        assert page.status_code == 404 and "We couldn't open this link" in text
        assert "Alex" not in text and "Thursday" not in text
    clock.advance(timedelta(days=12))
    expired = web.http.get(web.path)
    assert expired.status_code == 410 and "This link has expired" in expired.get_data(as_text=True)


def test_check_in_and_appointment_links_share_one_link_problem_page_with_a_way_forward(web, clock):
    appointment_path = web.links.appointment_url(web.next).removeprefix(BASE_URL)
    for kind, status in (("/c/", 404), ("/a/", 404)):
        page = web.http.get(kind + "nonsense")
        assert page.status_code == status
        assert "fresh link" in page.get_data(as_text=True)
    clock.advance(timedelta(days=12))
    checkin, appointment = web.http.get(web.path), web.http.get(appointment_path)
    assert checkin.status_code == appointment.status_code == 410
    def wording(page):  # the hidden fields name the link itself and its kind (a or c)
        return re.sub(r'<input type="hidden"[^>]*>', "", page.get_data(as_text=True))
    assert wording(checkin) == wording(appointment)  # one page, one wording
    assert 'name="kind" value="c"' in checkin.get_data(as_text=True)
    text = checkin.get_data(as_text=True)
    assert "+1 202-555-0100" in text and "Riverbend Counseling" in text and "fresh link" in text
    assert "Alex" not in text and "Thursday" not in text
    assert web.links.read(web.path.rsplit("/", 1)[1], T0, salt=CHECKIN_SALT).appointment_id == web.next.id


def test_a_cancelled_next_session_still_takes_how_they_are_doing(web, store):
    from portal.services.sessions import booking

    ctx = store.load_context(web.next.id, web.client.id, web.therapist.id)
    booking.cancel(web.deps, ctx, ctx.appointment.version, actor=Actor.system("test"))
    text = web.http.get(web.path).get_data(as_text=True)
    assert "How are you doing today?" in text and "getting in the way" not in text
    assert web.answer(score="3").status_code == 302
    assert store.get_appointment(web.next.id).status is Status.CANCELLED


def test_reopening_a_check_in_already_sent_says_thanks_not_a_blank_form(web, clock):
    web.answer(score="4", note="Better <b>week</b>")
    again = web.http.get(web.path)
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and "Thanks, you sent this on Monday, March 2 at 9:00 AM" in text
    assert "4 &middot; Good" in text and "Better &lt;b&gt;week&lt;/b&gt;" in text
    assert 'name="score"' not in text and f'href="{web.path}?again=1"' in text
    fresh = web.http.get(web.path + "?again=1").get_data(as_text=True)
    assert 'name="score" value="4"' in fresh and "Thanks, you sent" not in fresh


def test_an_empty_send_says_what_to_do(web):
    page = web.answer().get_data(as_text=True)
    assert "Nothing was sent yet. Please choose how you're doing below" in page
