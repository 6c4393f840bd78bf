"""Signing in and out of the workspace through the Flask test client."""
from datetime import timedelta

import pytest

from tests.workspace_support import DEMO_PASSWORD, MAYA, SAM, Web, seeded, text


@pytest.fixture(autouse=True)
def demo_practice(deps):
    return seeded(deps)


def test_the_sign_in_page_has_email_password_and_log_in(app):
    page = Web(app).get("/t/login").get_data(as_text=True)
    assert '<label for="email">Email</label>' in page
    assert '<label for="password">Password</label>' in page
    assert '<button type="submit" class="btn-primary">Log in</button>' in page
    assert 'autocomplete="current-password"' in page


def test_demo_therapists_sign_in_and_land_on_their_week(app):
    for email, name in ((MAYA, "Maya Chen"), (SAM, "Sam Okafor")):
        web = Web(app)
        answer = web.login(email)
        assert answer.status_code == 302 and answer.location == "/t/"
        page = text(web.get("/t/"))
        assert "Your week" in page and f"Log out {name}" in page


def test_a_wrong_email_or_password_gets_one_generic_answer(app):
    wrong_password = text(Web(app).login(MAYA, "not-the-password"))
    wrong_email = text(Web(app).login("nobody@riverbend.example", DEMO_PASSWORD))
    message = "That email and password don't match. Please check them and try again."
    assert message in wrong_password and message in wrong_email
    assert "Your week" not in wrong_password


def test_the_sixth_failure_is_refused_with_the_minutes_to_wait(app, clock):
    web = Web(app)
    for _ in range(5):
        assert web.login(MAYA, "guess").status_code == 200
    clock.advance(timedelta(minutes=3))
    refused = web.login(MAYA, DEMO_PASSWORD)
    assert refused.status_code == 429
    assert "Too many attempts. Please try again in 12 minutes." in text(refused)
    clock.advance(timedelta(minutes=12))
    assert web.login(MAYA, DEMO_PASSWORD).location == "/t/"


def test_sessions_expire_after_the_configured_hours(app, clock):
    web = Web(app)
    web.login(MAYA)
    clock.advance(timedelta(hours=7, minutes=59))
    assert web.get("/t/").status_code == 200
    clock.advance(timedelta(minutes=2))  # SESSION_HOURS defaults to 8
    gone = web.get("/t/clients")
    assert gone.status_code == 302 and "/t/login?next=/t/clients&expired=1" == gone.location
    assert "you were signed out" in text(web.get(gone.location))


def test_logout_ends_the_session(app):
    web = Web(app)
    web.login(MAYA)
    web.get("/t/")
    assert web.post("/t/logout").location == "/t/login"
    assert web.get("/t/").status_code == 302


def test_sign_in_returns_to_the_page_asked_for_but_never_elsewhere(app):
    web = Web(app)
    assert web.post("/t/login", {"email": MAYA, "password": DEMO_PASSWORD,
                                 "next": "/t/clients"}).location == "/t/clients"
    other = Web(app)
    for target in ("https://evil.example/", "//evil.example/t/", "/dev/"):
        other.token = None
        assert other.post("/t/login", {"email": MAYA, "password": DEMO_PASSWORD,
                                       "next": target}).location == "/t/"


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(app):
    here, elsewhere = Web(app), Web(app)
    here.login(SAM)
    elsewhere.login(SAM)
    assert elsewhere.get("/t/").status_code == 200
    refused = here.post("/t/password", {"current": "wrong", "new": "a-brand-new-pass", "repeat": "a-brand-new-pass"})
    assert "Your current password isn't right." in text(refused)
    changed = here.post("/t/password", {"current": DEMO_PASSWORD, "new": "a-brand-new-pass",
                                        "repeat": "a-brand-new-pass"})
    assert changed.status_code == 302
    assert here.get("/t/").status_code == 200  # this session continues
    assert elsewhere.get("/t/").status_code == 302  # the other one ends
    assert Web(app).login(SAM, "a-brand-new-pass").location == "/t/"
    assert Web(app).login(SAM, DEMO_PASSWORD).status_code == 200  # refused, page shown again
