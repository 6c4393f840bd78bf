"""Two-step sign-in through the Flask test client: enrol, sign in with a code or a recovery code,
the half-signed-in state, throttling, turning it off, and the admin's requirement."""
import re
from datetime import timedelta

import pyotp
import pytest

from tests.workspace_support import DEMO_PASSWORD, MAYA, SAM, Web, seeded, text

KEY = re.compile(r'id="setup-key">([A-Z2-7 ]+)</code>')


@pytest.fixture(autouse=True)
def demo_practice(deps):
    return seeded(deps)


def enrol(web, clock, path="/t/two-step"):
    """Read the setup key off the page, as a person types it into an app; returns it and the codes."""
    page = web.get(path).get_data(as_text=True)
    assert '<svg role="img" aria-label="QR code' in page and "<img" not in page.split("setup-key")[0][-2000:]
    secret = KEY.search(page).group(1).replace(" ", "")
    done = web.post(path, {"secret": secret, "code": pyotp.TOTP(secret).at(clock.now())})
    assert done.status_code == 200 and "Save your recovery codes" in text(done)
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10
    clock.advance(timedelta(seconds=30))
    return secret, codes


def sam_enrolled(app, clock):
    """Sam, signed in, with two-step turned on: his page, his secret and his recovery codes."""
    web = Web(app)
    web.login(SAM)
    secret, codes = enrol(web, clock)
    return web, secret, codes


def signed_in_as_sam(app):
    """A fresh browser past Sam's password (at the code step, if he has two-step on)."""
    step = Web(app)
    step.login(SAM)
    return step


def test_enrol_then_sign_in_with_a_code(app, clock, deps):
    web, secret, _ = sam_enrolled(app, clock)
    assert deps.store.get_therapist("sokaf1").totp_secret == secret
    assert "You have 10 unused recovery codes." in text(web.get("/t/two-step"))
    web.post("/t/logout")
    step = Web(app)
    answer = step.login(SAM)
    assert answer.status_code == 302 and answer.location == "/t/login/code"
    assert step.get("/t/").location.startswith("/t/login")  # no workspace page in between
    step = Web(app)
    step.login(SAM)
    page = step.get("/t/login/code")
    assert "Enter your sign-in code" in text(page)
    signed = step.post("/t/login/code", {"code": pyotp.TOTP(secret).at(clock.now())})
    assert signed.status_code == 302 and signed.location == "/t/"
    assert "Your week" in text(step.get("/t/"))


def test_a_wrong_code_gets_plain_words_and_a_used_one_is_refused(app, clock):
    web, secret, _ = sam_enrolled(app, clock)
    first, second = Web(app), Web(app)
    first.login(SAM)
    second.login(SAM)
    wrong = first.post("/t/login/code", {"code": "12 34 5"})
    assert wrong.status_code == 200
    assert "That code didn't work. Please enter the 6-digit code your authenticator app shows now" in text(wrong)
    code = pyotp.TOTP(secret).at(clock.now())
    assert first.post("/t/login/code", {"code": code}).location == "/t/"
    reused = second.post("/t/login/code", {"code": code})
    assert "That code was just used" in text(reused)
    assert second.get("/t/").status_code == 302


def test_a_recovery_code_signs_in_once(app, clock):
    web, _, codes = sam_enrolled(app, clock)
    step = signed_in_as_sam(app)
    answer = step.post("/t/login/code", {"code": codes[0]})
    assert answer.location == "/t/"
    assert "9 of them are left" in text(step.get("/t/"))
    again = Web(app)
    again.login(SAM)
    assert "didn't work" in text(again.post("/t/login/code", {"code": codes[0]}))


def test_the_sixth_wrong_code_is_refused_with_the_minutes_to_wait(app, clock):
    web, secret, _ = sam_enrolled(app, clock)
    step = signed_in_as_sam(app)
    for _ in range(5):
        assert step.post("/t/login/code", {"code": "000000"}).status_code == 200
    refused = step.post("/t/login/code", {"code": pyotp.TOTP(secret).at(clock.now())})
    assert refused.status_code == 429 and "Too many attempts. Please try again in" in text(refused)


def test_the_half_signed_in_state_expires_after_five_minutes(app, clock):
    web, secret, _ = sam_enrolled(app, clock)
    step = signed_in_as_sam(app)
    clock.advance(timedelta(minutes=5, seconds=1))
    late = step.post("/t/login/code", {"code": pyotp.TOTP(secret).at(clock.now())})
    assert late.status_code == 302 and late.location == "/t/login"
    assert "please sign in again" in text(step.get("/t/login"))


def test_turning_off_needs_password_and_code(app, clock, deps):
    web, secret, _ = sam_enrolled(app, clock)
    refused = web.post("/t/two-step/off", {"password": "nope", "code": pyotp.TOTP(secret).at(clock.now())})
    assert refused.status_code == 400 and "Your password isn't right." in text(refused)
    refused = web.post("/t/two-step/off", {"password": DEMO_PASSWORD, "code": "999999x"})
    assert refused.status_code == 400 and "didn't work" in text(refused)
    assert deps.store.get_therapist("sokaf1").totp_secret == secret
    off = web.post("/t/two-step/off", {"password": DEMO_PASSWORD, "code": pyotp.TOTP(secret).at(clock.now())})
    assert off.status_code == 302
    assert deps.store.get_therapist("sokaf1").totp_secret == ""
    assert Web(app).login(SAM).location == "/t/"


def test_the_admin_requires_it_and_the_unenrolled_enrol_after_the_password(app, clock, deps):
    maya = Web(app)
    maya.login(MAYA)
    page = maya.get("/t/settings").get_data(as_text=True)
    version = re.search(r'action="/t/settings/two-step".*?name="version"[^>]*value="(\d+)"', page, re.S).group(1)
    assert maya.post("/t/settings/two-step", {"required": "y", "version": version}).status_code == 302
    assert deps.store.get_settings().two_step_required
    assert "now required for everyone" in text(maya.get("/t/settings"))
    sam = Web(app)
    answer = sam.login(SAM)
    assert answer.location == "/t/login/enrol"
    assert sam.get("/t/clients").status_code == 302  # not signed in until enrolled
    sam = Web(app)
    sam.login(SAM)
    secret, _ = enrol(sam, clock, "/t/login/enrol")
    assert "Your week" in text(sam.get("/t/"))
    assert Web(app).login(SAM).location == "/t/login/code"


def test_a_stale_requirement_form_changes_nothing(app, deps):
    maya = Web(app)
    maya.login(MAYA)
    maya.get("/t/settings")
    answer = maya.post("/t/settings/two-step", {"required": "y", "version": "999"})
    assert answer.status_code == 302 and not deps.store.get_settings().two_step_required


def test_the_admin_turns_off_a_colleagues_two_step_after_a_lost_phone(app, clock, deps):
    sam, _, _ = sam_enrolled(app, clock)
    sam.post("/t/logout")
    maya = Web(app)
    maya.login(MAYA)
    team = text(maya.get("/t/therapists"))
    assert "Turn off two-step (lost phone) for Sam Okafor" in team
    assert "Turn off two-step (lost phone) for Maya" not in team  # her own is on her page
    assert maya.get("/t/therapists/sokaf1/two-step/reset").status_code == 405  # GET changes nothing
    done = maya.post("/t/therapists/sokaf1/two-step/reset")
    assert done.status_code == 302 and done.location == "/t/therapists"
    assert "Two-step sign-in is off for Sam Okafor. They sign in with their password" in \
        text(maya.get("/t/therapists"))
    after = deps.store.get_therapist("sokaf1")
    assert (after.totp_secret, after.recovery_hashes) == ("", ())
    assert [e.action for e in deps.store.therapist_events("sokaf1")] == ["two-step reset"]
    assert Web(app).login(SAM).location == "/t/"  # the password alone again
    again = maya.post("/t/therapists/sokaf1/two-step/reset")  # twice: nothing more happens
    assert again.status_code == 302 and len(deps.store.therapist_events("sokaf1")) == 1


def test_only_the_admin_turns_off_someone_elses_two_step(app, clock, deps):
    maya = Web(app)
    maya.login(MAYA)
    enrol(maya, clock)
    sam = Web(app)
    sam.login(SAM)
    assert sam.post("/t/therapists/mchen1/two-step/reset").status_code == 404
    assert maya.post("/t/therapists/mchen1/two-step/reset", csrf=False).status_code == 400
    own = maya.post("/t/therapists/mchen1/two-step/reset")
    assert own.status_code == 400 and "turned off on your Two-step sign-in page" in text(own)
    assert deps.store.get_therapist("mchen1").totp_secret  # unchanged
    assert deps.store.therapist_events("mchen1") == []
