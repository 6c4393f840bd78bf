"""Helpers for the workspace tests: an app on the in-memory store, and a signed-in test client
that carries its CSRF token the way a browser carries the hidden field."""
import re

from portal import create_app
from portal.wiring import Container
from tests.conftest import settings

DEMO_PASSWORD = "demo-password-123"
MAYA, SAM = "maya@riverbend.example", "sam@riverbend.example"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def app_on(deps, **env):
    """The real app factory on the test's store, notifier, clock and links, with other settings
    (``env``, such as PORTAL_ENV="production"); the ``app`` fixture serves the usual case."""
    config = settings(**env)
    container = Container(config, clock=deps.clock, store=deps.store, notifier=deps.notifier,
                          links=deps.links)
    return create_app(config, container=container)


def seeded(deps):
    from tests.seed_support import seeded_demo

    seeded_demo(deps, DEMO_PASSWORD, history=False)  # exact figures below count only what tests mark
    return deps


class Web:
    """A test client that posts forms with the page's CSRF token, as a browser would."""

    def __init__(self, app, remote_addr="198.51.100.7"):
        self.client = app.test_client()
        self.token = None
        self.environ = {"REMOTE_ADDR": remote_addr}

    def _grab(self, response):
        found = TOKEN.search(response.get_data(as_text=True)) if response.mimetype == "text/html" else None
        if found:
            self.token = found.group(1)
        return response

    def get(self, url, **kw):
        return self._grab(self.client.get(url, environ_base=self.environ, **kw))

    def post(self, url, data=None, csrf=True, **kw):
        data = dict(data or {})
        if csrf and "csrf_token" not in data:
            if self.token is None:
                self.get("/t/login", follow_redirects=True)
            data["csrf_token"] = self.token
        return self._grab(self.client.post(url, data=data, environ_base=self.environ, **kw))

    def login(self, email=MAYA, password=DEMO_PASSWORD):
        self.token = None
        answer = self.post("/t/login", {"email": email, "password": password})
        self.token = None  # the session was rotated: the next form carries a fresh token
        return answer


def text(response) -> str:
    """The page's visible words, roughly: tags dropped, whitespace squeezed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&#39;", "'").replace("&amp;", "&")
