"""DynamoDB calls per therapist-workspace action, counted at the botocore client, against moto.

Each action runs once through the Flask app on a seeded demo practice in moto (server mode),
signed in as the demo admin. A ``before-call.dynamodb`` hook on the app's own DynamoDB client
records every API call (retries, pages and batch follow-ups included). Calls made while a
change is being confirmed to the client (the bounce-list check per email) are shown apart.
Also printed: scrypt sign-in cost next to a plain page view, as a ratio of medians.
"""
from __future__ import annotations

import re
import statistics
import time
from datetime import datetime, timezone

GOALS = {  # at most this many of the action's own calls, and never a Scan
    "sign in": 7,  # 6, + 1 GetItem: whether the practice requires two-step sign-in (issue 14)
    "dashboard (admin, 5 clients with sessions)": 7,  # 11 before issue 10; + 1 Query: the waitlist
    "availability page": 5,
    # 4, + the waitlist: the open times before and after, its entries and openings (issue 11)
    "save availability": 8,
    # 6, + 1 PutItem (the access log, issue 14), + 1 GetItem (the waitlist entry, issue 11)
    "client page with open times": 8,
    "appointment page": 5,  # 4 before reads were audited: + 1 PutItem (access log)
    "reschedule on the client's behalf": 6,
    "figures (2 therapists)": 10,  # 7, and the waitlist figures: the team, one Query each
    # Issue 10: no query per client (check-ins come in one batch with the availability).
    "dashboard (therapist, 40 upcoming sessions; was 11 for 5 clients)": 6,
}
NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)
PASSWORD = "bench-password-123"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class CallCounter:
    def __init__(self, dynamodb_client, notifier):
        self.calls: list[tuple[str, bool]] = []
        self.sending = False
        dynamodb_client.meta.events.register("before-call.dynamodb", self._count)
        for name in ("send_email", "send_sms", "send_voice"):
            setattr(notifier, name, self._marking(getattr(notifier, name)))

    def _count(self, model, **_kwargs):
        self.calls.append((model.name, self.sending))

    def _marking(self, send):
        def sending(*args, **kwargs):
            self.sending = True
            try:
                return send(*args, **kwargs)
            finally:
                self.sending = False
        return sending

    def take(self):
        taken, self.calls = self.calls, []
        return taken


class Laptop:
    """A therapist's browser: the Flask test client with the page's CSRF token."""

    def __init__(self, app):
        self.http, self.token = app.test_client(), None

    def get(self, url):
        answer = self.http.get(url)
        found = TOKEN.search(answer.get_data(as_text=True))
        self.token = found.group(1) if found else self.token
        return answer

    def post(self, url, data):
        return self.http.post(url, data=dict(data, csrf_token=self.token))


def _availability_form(store, therapist_id):
    current = store.get_availability(therapist_id)
    data = {"version": str(current.version), "session_minutes": "50", "buffer_minutes": "10"}
    for n, w in enumerate(current.windows):
        data.update({f"windows-{n}-weekday": str(w.weekday), f"windows-{n}-start": f"{w.start:%H:%M}",
                     f"windows-{n}-end": f"{w.end:%H:%M}", f"windows-{n}-modes": [m.value for m in w.modes]})
    n = len(current.windows)
    data.update({f"windows-{n}-weekday": "5", f"windows-{n}-start": "10:00", f"windows-{n}-end": "14:00",
                 f"windows-{n}-modes": ["in_person", "tele"]})
    return data


def measure(container, app) -> dict[str, list[tuple[str, bool]]]:
    """Run each action once, signed in as the demo admin; DynamoDB operations per action."""
    from portal.services.sessions.booking import reschedule_options

    store, laptop = container.store, Laptop(app)
    counter = CallCounter(container.client("dynamodb"), container.notifier)
    calls = {}

    def step(name, run):
        counter.take()
        answer = run()
        calls[name] = counter.take()
        assert answer.status_code in (200, 302), (name, answer.status_code)

    laptop.get("/t/login")
    step("sign in", lambda: laptop.post("/t/login", {"email": "maya@riverbend.example", "password": PASSWORD}))
    step("dashboard (admin, 5 clients with sessions)", lambda: laptop.get("/t/"))
    step("availability page", lambda: laptop.get("/t/availability"))
    form = _availability_form(store, "mchen1")
    step("save availability", lambda: laptop.post("/t/availability", form))
    step("client page with open times", lambda: laptop.get("/t/clients/calex01"))
    step("appointment page", lambda: laptop.get("/t/appointments/demomche02"))
    ctx = store.load_context("demomche02", "cpriy03", "mchen1")
    start = reschedule_options(container.deps, ctx)[2].start.strftime("%Y-%m-%dT%H:%M:%SZ")
    laptop.get("/t/appointments/demomche02/reschedule")
    step("reschedule on the client's behalf", lambda: laptop.post(
        "/t/appointments/demomche02/reschedule", {"start": start, "version": str(ctx.appointment.version)}))
    step("figures (2 therapists)", lambda: laptop.get("/t/stats"))
    busy = _busy_therapist(container)
    busy_laptop = Laptop(app)
    busy_laptop.get("/t/login")
    busy_laptop.post("/t/login", {"email": busy.email, "password": PASSWORD})
    step("dashboard (therapist, 40 upcoming sessions; was 11 for 5 clients)", lambda: busy_laptop.get("/t/"))
    return calls


def _busy_therapist(container):
    """A therapist with 40 clients, one session each in the week ahead, and a check-in each."""
    from datetime import timedelta

    from devstack.seed import hash_password
    from portal.domain.audit import Actor
    from portal.domain.checkins import CheckIn
    from portal.domain.model import Availability, Client, Mode, Therapist
    from portal.services.sessions.booking import record_booking

    deps, store = container.deps, container.store
    busy = Therapist("busy40", "Robin Busy", "robin@riverbend.example", "America/New_York",
                     password_hash=hash_password(PASSWORD))
    store.add_therapist(busy, Availability())
    for n in range(40):
        client = Client(f"cbusy{n:02d}", busy.id, f"Client{n}", "Busy", f"c{n}@example.com", "",
                        "America/New_York")
        store.add_client(client)
        start = NOW + timedelta(hours=3 + 4 * n)
        record_booking(deps, busy, client, start, Mode.TELE, actor=Actor.system("bench"))
        store.record_checkin(client.id, CheckIn(NOW - timedelta(days=1), 1 + n % 5), "", busy.id)
    return busy


def _detail(ops):
    return ", ".join(f"{ops.count(op)} {op}" for op in dict.fromkeys(ops)) or "none"


def lines(calls) -> list[str]:
    out = []
    for name, made in calls.items():
        own = [op for op, sending in made if not sending]
        sent = [op for op, sending in made if sending]
        extra = f" + {len(sent)} while telling the client [{_detail(sent)}]" if sent else ""
        scans = sum(op == "Scan" for op, _ in made)
        out.append(f"workspace: {name}: {len(own)} DynamoDB calls (goal <= {GOALS[name]}) "
                   f"[{_detail(own)}]{extra}, {scans} Scans")
    return out


def hash_cost(runs: int = 7) -> str:
    """Checking one scrypt hash against rendering the sign-in page, medians side by side."""
    from portal.services.accounts.sign_in import hash_password, verify_password

    hashed = hash_password(PASSWORD)
    check, page = [], []
    from portal import create_app
    from portal.config import load

    http = create_app(load({"PORTAL_ENV": "test"})).test_client()
    for _ in range(runs):
        started = time.perf_counter()
        verify_password(hashed, PASSWORD)
        check.append(time.perf_counter() - started)
        started = time.perf_counter()
        http.get("/t/login")
        page.append(time.perf_counter() - started)
    ratio = statistics.median(check) / statistics.median(page)
    return (f"workspace: one scrypt password check = {ratio:.1f}x rendering the sign-in page "
            f"(medians of {runs}; the cost a guess pays, on top of the throttle)")


def run():
    from devstack.seed import seed_demo
    from portal import create_app
    from tools.emulated_stack import deployed_container, emulator

    with emulator() as endpoint:
        container = deployed_container(endpoint, "bench-workspace", NOW, verify_sender=True)
        seed_demo(container.deps, PASSWORD)
        return lines(measure(container, create_app(container.config, container=container))) + [hash_cost()]


if __name__ == "__main__":
    print("\n".join(run()))
