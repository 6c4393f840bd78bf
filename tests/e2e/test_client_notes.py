"""A word to the therapist from the session's page: a note any time, "I'm running late" near the start."""
import re
from datetime import timedelta

import pytest

from portal.services.client.notes import NOTES_A_DAY
from tests.e2e.test_client_journeys import Web, text_of


@pytest.fixture
def web(app, deps):
    return Web(app, deps)


def test_a_note_goes_to_the_inbox_and_the_email_says_only_that_one_is_waiting(web):
    a = web.book()
    page = web.get(a)
    assert "Send a note to Maya Chen" in text_of(page) and "I'm running late" not in text_of(page)
    note = "Can we talk about <script>alert(1)</script> next time? Rivera"
    answer = web.post(a, "/note", {"text": note})
    assert answer.status_code == 302
    assert "Maya Chen will see your note" in text_of(web.http.get(answer.headers["Location"]))
    [item] = web.store.inbox(web.therapist.id)
    assert (item.kind, item.text, item.appointment_id) == ("note", note, a.id)
    [(channel, to, email)] = web.notifier.sent
    assert channel == "email" and to == web.therapist.email
    assert "note" in email.subject and "/t/" in email.text
    for secret in ("script", "Rivera", "Alex", "next time"):
        assert secret not in email.text and secret not in email.subject
    assert web.stored(a) == a  # the session itself is untouched


def test_notes_are_shown_escaped_in_the_workspace(app, deps):
    from portal.services.client import notes
    from tests import workspace_support as ws

    ws.seeded(deps)
    maya = deps.store.therapist_by_email(ws.MAYA)
    now = deps.clock.now()
    session = next(a for a in deps.store.therapist_appointments(maya.id, now, now + timedelta(days=14))
                   if a.status.is_open)
    notes.send_note(deps, session, maya, deps.store.get_settings(), "<b>bold</b> & <script>x</script>")
    http = ws.Web(app)
    http.login()
    body = http.get("/t/").get_data(as_text=True)
    assert "&lt;script&gt;x&lt;/script&gt;" in body and "<script>x</script>" not in body


@pytest.mark.parametrize("text, message", [("", "Please write your note first"),
                                           ("x" * 501, "Please keep your note under 500 characters")])
def test_an_empty_or_long_note_is_refused_in_plain_words(web, text, message):
    a = web.book()
    before = web.snapshot()
    answer = web.post(a, "/note", {"text": text})
    assert answer.status_code == 400 and message in text_of(answer)
    assert web.snapshot() == before and web.notifier.sent == []


def test_at_most_five_notes_a_day_per_session(web):
    a = web.book()
    codes = [web.post(a, "/note", {"text": f"note {i}"}).status_code for i in range(NOTES_A_DAY + 1)]
    assert codes == [302] * NOTES_A_DAY + [400]
    assert len(web.store.inbox(web.therapist.id)) == NOTES_A_DAY
    web.clock.set(web.clock.now() + timedelta(days=1))
    assert web.post(a, "/note", {"text": "a new day"}).status_code == 302


def test_running_late_offers_5_10_15_from_two_hours_before_until_15_minutes_after(web):
    a = web.book()
    web.clock.set(a.start - timedelta(hours=2, minutes=1))
    assert "I'm running late" not in text_of(web.get(a))
    web.clock.set(a.start - timedelta(hours=1))
    body = web.get(a).get_data(as_text=True)
    assert re.findall(r'name="minutes" value="(\d+)"', body) == ["5", "10", "15"]
    answer = web.post(a, "/late", {"minutes": "10"})
    assert answer.status_code == 302
    [item] = web.store.inbox(web.therapist.id)
    assert (item.kind, item.text) == ("late", "Running about 10 minutes late.")
    assert web.post(a, "/late", {"minutes": "20"}).status_code == 400
    web.clock.set(a.start + timedelta(minutes=16))
    assert web.post(a, "/late", {"minutes": "5"}).status_code == 400
    assert len(web.store.inbox(web.therapist.id)) == 1


def test_notes_need_the_csrf_token(web):
    a = web.book()
    assert web.post(a, "/note", {"text": "hi"}, with_csrf=False).status_code == 400
    assert web.store.inbox(web.therapist.id) == []
