"""The workspace in the system Chromium: sign in, add a Saturday window, see it offered to a
client; zero axe-core violations on every therapist page, at laptop and phone sizes."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 860}
PASSWORD = "demo-password-123"


@pytest.fixture
def laptop_page(browser):
    context = browser.new_context(viewport=LAPTOP, device_scale_factor=1)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, url, email="maya@riverbend.example"):
    page.goto(f"{url}/t/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{url}/t/")


def assert_accessible(page, name):
    violations = axe_violations(page)
    assert violations == [], f"{name}: " + "; ".join(
        f"{v['id']}: {v['nodes'][0]['target']}" for v in violations)


def test_sign_in_add_a_saturday_window_and_the_client_is_offered_saturday(live_stack, laptop_page):
    container, url = live_stack
    page = laptop_page
    page.goto(f"{url}/t/login")
    assert_accessible(page, "login")
    screenshot(page, "workspace-login")
    sign_in(page, url)
    expect(page.get_by_role("heading", name="Your week")).to_be_visible()
    page.get_by_role("link", name="Availability").click()
    # The first empty window row: Saturday, 10:00 to 14:00, in person or video.
    rows = page.locator("fieldset.ws-window").filter(has=page.locator("select[name$='-weekday']"))
    empty = next(i for i in range(rows.count())
                 if rows.nth(i).locator("input[name$='-start']").input_value() == "")
    row = rows.nth(empty)
    row.locator("select[name$='-weekday']").select_option(label="Saturday")
    row.locator("input[name$='-start']").fill("10:00")
    row.locator("input[name$='-end']").fill("14:00")
    page.get_by_role("button", name="Save hours").click()
    assert "Your hours are saved" in page.inner_text("main")
    assert "10:00 AM–2:00 PM" in page.locator(".week-grid li", has_text="Saturday").inner_text()
    screenshot(page, "workspace-saturday-added")
    # A client of Maya's opens the reschedule page from their reminder link.
    listing = page.request.get(f"{url}/dev/appointments.json").json()
    mine = next(a for a in listing if a["therapist_email"] == "maya@riverbend.example"
                and a["status"] in ("scheduled", "confirmed"))
    client = page.context.browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = client.new_page()
    phone.goto(mine["link"] + "/reschedule?only=evening-weekend")
    assert "Saturday" in phone.inner_text("main")
    screenshot(phone, "workspace-client-sees-saturday")
    client.close()


WORKSPACE_PAGES = [
    ("dashboard", "/t/"), ("dashboard-all", "/t/?therapist=all"), ("availability", "/t/availability"),
    ("clients", "/t/clients"), ("client", "/t/clients/calex01"), ("client-edit", "/t/clients/calex01/edit"),
    ("client-new", "/t/clients/new"), ("appointments", "/t/appointments"),
    ("appointment", "/t/appointments/demomche00"), ("reschedule", "/t/appointments/demomche00/reschedule"),
    ("stats", "/t/stats"), ("settings", "/t/settings"), ("therapists", "/t/therapists"),
    ("password", "/t/password"),
]


def test_every_therapist_page_has_no_axe_violations(live_stack, laptop_page):
    container, url = live_stack
    page = laptop_page
    sign_in(page, url)
    for name, path in WORKSPACE_PAGES:
        page.goto(f"{url}{path}")
        assert page.locator("h1").count() == 1, name
        assert_accessible(page, name)
        screenshot(page, f"workspace-{name}")


def test_error_states_are_accessible_too(live_stack, laptop_page):
    container, url = live_stack
    page = laptop_page
    page.goto(f"{url}/t/login")
    page.get_by_label("Email").fill("maya@riverbend.example")
    page.get_by_label("Password").fill("not it")
    page.get_by_role("button", name="Log in").click()
    assert "don't match" in page.inner_text("main")
    assert_accessible(page, "login-error")
    sign_in(page, url)
    page.goto(f"{url}/t/clients/new")
    page.get_by_label("First name").fill("Robin")
    page.get_by_role("textbox", name="Email").fill("robin@")
    page.get_by_role("button", name="Add client").click()
    assert "doesn't look like an email address" in page.inner_text("main")
    assert_accessible(page, "client-errors")
    screenshot(page, "workspace-client-errors")
    page.goto(f"{url}/t/availability")
    page.locator("input[name='windows-0-end']").fill("08:00")
    page.get_by_role("button", name="Save hours").click()
    assert "The end time must be after the start time." in page.inner_text("main")
    assert_accessible(page, "availability-errors")
    screenshot(page, "workspace-availability-errors")


def test_the_workspace_reads_on_a_phone(live_stack, phone_page):
    container, url = live_stack
    page = phone_page
    sign_in(page, url, "sam@riverbend.example")
    for name, path in (("dashboard", "/t/"), ("availability", "/t/availability")):
        page.goto(f"{url}{path}")
        assert_accessible(page, f"phone-{name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{name} scrolls sideways ({width}px)"
        screenshot(page, f"workspace-phone-{name}")
