"""Two-step sign-in in the system Chromium: enrol by reading the setup key off the page, sign in
with a code from it, then with a recovery code; the admin requires it and a colleague enrols at
phone size. Zero axe violations on each new page, at 1280 and 360 px."""
import re
from datetime import timedelta

import pyotp
import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.test_workspace_browser import PASSWORD, assert_accessible, laptop_page, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

SAM = "sam@riverbend.example"
NARROW = {"width": 360, "height": 740}


def password_step(page, url, email):
    page.goto(f"{url}/t/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def log_out(page):
    page.get_by_role("button", name=re.compile("Log out")).click()


def enrol_from_page(page, clock, name):
    """Type the key shown on the page into 'the app' (pyotp), enter its code, keep the codes."""
    assert page.locator("svg.qr[role=img]").count() == 1
    assert_accessible(page, name)
    screenshot(page, name)
    secret = page.locator("#setup-key").inner_text().replace(" ", "")
    page.get_by_label("The 6-digit code from your app").fill(pyotp.TOTP(secret).at(clock.now()))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.get_by_role("heading", name="Save your recovery codes").wait_for()
    assert_accessible(page, name + "-recovery-codes")
    screenshot(page, name + "-recovery-codes")
    codes = [c.strip() for c in page.locator(".recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    page.get_by_role("link", name="I saved them: continue").click()
    clock.advance(timedelta(seconds=30))  # the next sign-in needs the next code
    return secret, codes


def test_enrol_sign_in_with_a_code_and_with_a_recovery_code(live_stack, laptop_page, clock):  # noqa: F811
    container, url = live_stack
    page = laptop_page
    sign_in(page, url, SAM)
    page.get_by_role("link", name="Two-step sign-in").click()
    secret, codes = enrol_from_page(page, clock, "two-step-enrol")
    page.wait_for_url(f"{url}/t/")
    assert container.store.get_therapist("sokaf1").totp_secret == secret

    log_out(page)
    password_step(page, url, SAM)
    page.wait_for_url(f"{url}/t/login/code")
    assert_accessible(page, "two-step-code")
    screenshot(page, "two-step-code")
    page.get_by_label("Code").fill("000000" if pyotp.TOTP(secret).at(clock.now()) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    assert "That code didn't work" in page.get_by_role("alert").inner_text()
    assert_accessible(page, "two-step-code-wrong")
    screenshot(page, "two-step-code-wrong")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(clock.now()))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{url}/t/")

    log_out(page)
    password_step(page, url, SAM)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{url}/t/")
    assert "9 of them are left" in page.inner_text("main")
    page.goto(f"{url}/t/two-step")
    assert "You have 9 unused recovery codes." in page.inner_text("main")
    assert_accessible(page, "two-step-on")
    screenshot(page, "two-step-on")


def test_the_admin_requires_it_and_a_colleague_enrols_at_phone_size(live_stack, browser, clock):
    container, url = live_stack
    context = browser.new_context(viewport=NARROW, device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, url)  # Maya, the practice admin
    page.goto(f"{url}/t/settings")
    page.get_by_label("Everyone signs in with a code from an app, after the password").check()
    page.get_by_role("button", name="Save two-step sign-in").click()
    assert "now required for everyone" in page.inner_text("main")
    assert_accessible(page, "settings-two-step")
    screenshot(page, "two-step-settings-phone")
    assert container.store.get_settings().two_step_required
    log_out(page)

    password_step(page, url, SAM)
    page.wait_for_url(f"{url}/t/login/enrol")
    assert "Your practice asks everyone" in page.inner_text("main")
    enrol_from_page(page, clock, "two-step-required-enrol-phone")
    page.wait_for_url(f"{url}/t/")
    page.goto(f"{url}/t/two-step")
    assert_accessible(page, "two-step-on-phone")
    screenshot(page, "two-step-on-phone")
    context.close()
