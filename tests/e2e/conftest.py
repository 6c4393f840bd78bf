"""Browser fixtures: the portal served on loopback, and Playwright driving the system Chromium."""
import os
import shutil
import threading

import pytest

from devstack import create_dev_app

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
PHONE = {"width": 375, "height": 740}


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("No Chromium found: CI must run the browser tests (install Debian's chromium)")
        pytest.skip("No Chromium found (/usr/bin/chromium or $CHROMIUM): browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


def phone_pages(browser, viewport=PHONE):
    """A page in a phone-like context of the given size, closed after the test."""
    context = browser.new_context(viewport=viewport, device_scale_factor=1, is_mobile=True,
                                  has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser):
    yield from phone_pages(browser)


class LiveServer:
    def __init__(self, app):
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()


@pytest.fixture
def live_stack(moto_endpoint, deployed_template, clock):
    """A seeded dev stack on moto, served on a loopback port (BASE_URL matches it): its own
    table, with its own copy of the demo practice."""
    import socket

    from tests.seed_support import seeded_demo
    from tests.stack import deployed_container

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    container = deployed_container(moto_endpoint, clock=clock, PORTAL_ENV="dev",
                                   BASE_URL=f"http://127.0.0.1:{port}")
    seeded_demo(container.deps, "demo-password-123")
    app = create_dev_app(container.config, container=container)
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield container, f"http://127.0.0.1:{port}"
    server.shutdown()


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag",
                                                   "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    return results.response["violations"]


def screenshot(page, name):
    folder = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def look(page, name=None):
    """Every page: no axe violations, nothing wider than the phone, and (once) a screenshot."""
    violations = axe_violations(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    if name:
        screenshot(page, name)
