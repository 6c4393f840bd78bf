"""Deactivating a therapist in the system Chromium: the therapists page, the confirmation, the
sessions page (after a reassign and on a taken time), and the client's times page, with zero
axe-core violations at 1280 and 360 px."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.test_workspace_browser import sign_in

pytestmark = pytest.mark.browser

SIZES = {"laptop": {"width": 1280, "height": 860}, "phone": {"width": 360, "height": 740}}


def _accessible(page, name):
    violations = axe_violations(page)
    assert violations == [], f"{name}: " + "; ".join(
        f"{v['id']}: {v['nodes'][0]['target']}" for v in violations)
    screenshot(page, name)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_deactivate_hand_over_and_the_clients_page(live_stack, browser, size):
    container, url = live_stack
    context = browser.new_context(viewport=SIZES[size], device_scale_factor=1, is_mobile=size == "phone")
    page = context.new_page()
    sign_in(page, url)
    container.store.enrol_two_step("sokaf1", "JBSWY3DPEHPK3PXP", 0, [])  # then his phone is lost
    page.goto(f"{url}/t/therapists")
    _accessible(page, f"team-therapists-{size}")
    page.get_by_role("button", name="Turn off two-step (lost phone) for Sam Okafor").click()
    expect(page.get_by_text("Two-step sign-in is off for Sam Okafor.")).to_be_visible()
    assert container.store.get_therapist("sokaf1").totp_secret == ""
    _accessible(page, f"team-two-step-off-{size}")
    page.get_by_role("link", name="Deactivate Sam Okafor").click()
    expect(page.get_by_role("heading", name="Deactivate Sam Okafor?")).to_be_visible()
    _accessible(page, f"team-confirm-{size}")
    page.get_by_role("button", name="Deactivate Sam Okafor").click()
    assert "Sam Okafor is deactivated" in page.inner_text("main")
    _accessible(page, f"team-sessions-{size}")
    first = page.locator("ul.team-sessions > li").first
    first.get_by_role("button", name="Reassign").click()
    assert "The client has been told" in page.inner_text("main")
    _accessible(page, f"team-sessions-after-{size}")
    # A client of Sam's opens their link's times page: a kind word and the practice's phone.
    listing = page.request.get(f"{url}/dev/appointments.json").json()
    sams = next(a for a in listing if a["therapist_email"] == "sam@riverbend.example"
                and a["status"] in ("scheduled", "confirmed"))
    page.goto(sams["link"] + "/reschedule")
    assert "isn't taking new times" in page.inner_text("main")
    _accessible(page, f"team-client-times-{size}")
    page.goto(f"{url}/t/therapists")
    expect(page.get_by_role("button", name="Reactivate Sam Okafor")).to_be_visible()
    _accessible(page, f"team-therapists-deactivated-{size}")
    context.close()
