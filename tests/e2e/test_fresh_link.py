"""An expired link's page offers "Send me a fresh link": same answer for any token, rate-limited."""
import re
from datetime import timedelta

import pytest

from portal.services.messaging.client_notices import send_client_notices
from tests.e2e.test_client_journeys import Web, text_of


@pytest.fixture
def web(app, deps):
    return Web(app, deps)


def ask(web, path, token=None, ip="203.0.113.9"):
    page = web.http.get(path)
    body = page.get_data(as_text=True)
    fields = dict(re.findall(r'name="(csrf_token|token|kind)" value="([^"]*)"', body))
    if token is not None:
        fields["token"] = token
    answer = web.http.post("/link/fresh", data=fields, environ_base={"REMOTE_ADDR": ip})
    if answer.status_code == 303:
        assert answer.headers["Location"].endswith("/link/fresh/sent")
        return web.http.get("/link/fresh/sent")
    return answer


def test_an_expired_link_sends_a_fresh_link_to_the_details_on_file(web):
    old = web.book()
    following = web.book(old.start + timedelta(days=14))
    web.clock.set(old.end + timedelta(days=8))
    expired = web.get(old)
    assert expired.status_code == 410 and "Send me a fresh link" in text_of(expired)
    before = len(web.snapshot())
    answer = ask(web, web.path(old))
    assert answer.status_code == 200 and "A fresh link is on its way" in text_of(answer)
    assert "Alex" not in text_of(answer) and web.notifier.sent == []
    assert len(web.snapshot()) == before + 3  # two counters and one pending message
    send_client_notices(web.deps)
    [(channel, to, email), *rest] = web.notifier.sent
    assert channel == "email" and to == web.client.email
    assert web.links.appointment_url(following) in email.text and "Your next session is" in email.text
    send_client_notices(web.deps)
    assert len(web.notifier.sent) == 1 + len(rest)  # sent once


def test_the_answer_is_the_same_for_a_made_up_token_and_nothing_is_sent(web):
    a = web.book()
    web.clock.set(a.end + timedelta(days=8))
    real = text_of(ask(web, web.path(a)))
    fake = ask(web, web.path(a), token="made-up.token")
    assert fake.status_code == 200 and text_of(fake) == real
    send_client_notices(web.deps)
    assert len(web.notifier.sent) <= 2  # only the real one's


def test_at_most_three_an_hour_per_token_and_twenty_per_ip(web):
    a = web.book()
    web.clock.set(a.end + timedelta(days=8))
    answers = [ask(web, web.path(a)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert "Please wait a little" in text_of(ask(web, web.path(a)))
    others = [ask(web, web.path(a), token=f"t{i}", ip="198.51.100.7").status_code for i in range(21)]
    assert others == [200] * 20 + [429]
    web.clock.set(web.clock.now() + timedelta(hours=1))
    assert ask(web, web.path(a)).status_code == 200


def test_a_post_without_csrf_is_refused_and_get_is_not_allowed(web):
    before = web.snapshot()
    refused = web.http.post("/link/fresh", data={"token": "x", "kind": "a"})
    assert refused.status_code == 400 and web.snapshot() == before
    assert web.http.get("/link/fresh").status_code == 405


def test_the_home_page_names_the_practice_and_its_phone(web):
    page = text_of(web.http.get("/"))
    assert "Riverbend Counseling" in page and "(202) 555-0100" in page and "Welcome" not in page
