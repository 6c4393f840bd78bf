"""DynamoDB calls per client-link action, counted at the botocore client, against moto.

Each action runs once through the Flask app, as a client's phone would send it, on a
seeded demo practice in moto (server mode). A ``before-call.dynamodb`` event hook on the
app's own DynamoDB client records every API call, so retries, pagination and batch
follow-ups all count. Calls made while a confirmation is being sent are shown apart from
the change's own (there are none: a bounced address is a flag on the client record read).
Also printed: the heaviest client page, HTML plus the CSS.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from portal.paths import ROOT

GOALS = {  # issue 3: at most this many calls, and never a Scan
    "open the page": 2,
    "confirm": 2,
    "show reschedule slots": 4,
    "commit a reschedule": 2,
    "switch to video": 2,
    "switch to in person": 2,
    "cancel": 2,
    "open the page after a move": 2,
    "undo a move": 2,
    "the confirm page": 1,
    "request a fresh link": 3,
}
WEIGHT_GOAL = 30 * 1024
NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)


class CallCounter:
    """Every DynamoDB API call the client makes: (operation, made while sending a message?)."""

    def __init__(self, dynamodb_client):
        self.calls: list[tuple[str, bool]] = []
        self.sending = False
        dynamodb_client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model, **_kwargs):
        self.calls.append((model.name, self.sending))

    def take(self) -> list[tuple[str, bool]]:
        taken, self.calls = self.calls, []
        return taken

    def watch(self, notifier):
        """Mark the calls a notifier makes while it sends (they are not the change's own)."""
        counter = self
        for name in ("send_email", "send_sms", "send_voice"):
            def sending(*args, _send=getattr(notifier, name), **kwargs):
                counter.sending = True
                try:
                    return _send(*args, **kwargs)
                finally:
                    counter.sending = False
            setattr(notifier, name, sending)


class Phone:
    """A client's taps through the Flask test client."""

    def __init__(self, app, base_url):
        self.http, self.base_url = app.test_client(), base_url
        self.pages: dict[str, int] = {}

    def path(self, url: str) -> str:
        return url.removeprefix(self.base_url)

    def get(self, url, name=None):
        answer = self.http.get(self.path(url))
        if name:
            self.pages[name] = len(answer.data)
        return answer

    def post(self, url, data, name=None):
        answer = self.http.post(self.path(url), data=data)
        if name and answer.status_code == 200:
            self.pages[name] = len(answer.data)
        return answer


def _form_values(answer, name):
    return re.findall(rf'name="{name}" value="([^"]*)"', answer.get_data(as_text=True))


def _pick(container):
    """Two unconfirmed demo sessions, more than a day ahead (outside the late-cancel window)."""
    store, now = container.store, container.clock.now()
    sessions = [a for t in store.list_therapists()
                for a in store.therapist_appointments(t.id, now + timedelta(hours=30), now + timedelta(days=30))
                if a.status.value == "scheduled"]
    return sessions[0], sessions[1]


class Steps:
    """Runs one action at a time and keeps the DynamoDB calls each made."""

    def __init__(self, container, app):
        self.counter = CallCounter(container.client("dynamodb"))
        self.counter.watch(container.notifier)
        self.phone = Phone(app, container.config.base_url)
        self.calls: dict[str, list[tuple[str, bool]]] = {}

    def __call__(self, name, run):
        self.counter.take()
        answer = run()
        self.calls[name] = self.counter.take()
        return answer


def _keep_the_session(steps, container, link):
    """Open, confirm, see times, move, switch mode: returns the session's CSRF token."""
    phone = steps.phone
    page = steps("open the page", lambda: phone.get(link, "appointment"))
    token, version = _form_values(page, "csrf_token")[0], int(_form_values(page, "version")[0])
    steps("the confirm page", lambda: phone.get(f"{link}/confirm", "confirm page"))
    steps("confirm", lambda: phone.post(f"{link}/confirm", {"csrf_token": token, "version": version}))
    listing = steps("show reschedule slots", lambda: phone.get(f"{link}/reschedule", "reschedule"))
    start, version = _form_values(listing, "start")[0], int(_form_values(listing, "version")[0])
    moved = steps("commit a reschedule", lambda: phone.post(
        f"{link}/reschedule", {"csrf_token": token, "version": version, "start": start}))
    if "/move?" in moved.headers["Location"]:  # a change of mode or within 24 h: asked first
        ask = phone.get(container.config.base_url + moved.headers["Location"])
        moved = steps("commit a reschedule", lambda: phone.post(f"{link}/reschedule", {
            "csrf_token": token, "version": version, "start": start,
            "mode": _form_values(ask, "mode")[0], "confirmed": "yes"}))
    link = container.config.base_url + moved.headers["Location"]  # the fresh link for the new time
    page = steps("open the page after a move", lambda: phone.get(link, "after a move"))
    undone = steps("undo a move", lambda: phone.post(
        f"{link}/undo", {"csrf_token": token, "version": int(_form_values(page, "version")[0])}))
    link = container.config.base_url + undone.headers["Location"]
    page = phone.get(link)
    version, mode = int(_form_values(page, "version")[0]), _form_values(page, "mode")[0]
    steps("switch to video" if mode == "tele" else "switch to in person", lambda: phone.post(
        f"{link}/mode", {"csrf_token": token, "version": version, "mode": mode}))
    return token


def _cancel_and_book_again(steps, link, token):
    phone, said = steps.phone, {"barrier": "schedule", "note": "Work shift"}
    steps("cancel: what got in the way", lambda: phone.get(f"{link}/cancel", "cancel"))
    help_page = steps("cancel: help for a schedule clash", lambda: phone.post(
        f"{link}/cancel/help", {"csrf_token": token, **said}, "cancel help"))
    version = int(_form_values(help_page, "version")[-1])
    steps("cancel", lambda: phone.post(f"{link}/cancel", {"csrf_token": token, "version": version,
                                                          **said}))
    rebook = steps("show times to book again", lambda: phone.get(f"{link}/rebook", "rebook"))
    steps("book a new time", lambda: phone.post(
        f"{link}/rebook", {"csrf_token": token, "start": _form_values(rebook, "start")[0]}))


def measure(container, app) -> tuple[dict[str, list[tuple[str, bool]]], dict[str, int]]:
    """Run each action once; returns (DynamoDB operations per action, page sizes in bytes)."""
    first, second = _pick(container)
    steps = Steps(container, app)
    token = _keep_the_session(steps, container, container.links.appointment_url(first))
    _cancel_and_book_again(steps, container.links.appointment_url(second), token)
    link_token = container.links.token(second)  # reads nothing about it: any token costs the same
    steps("request a fresh link", lambda: steps.phone.post(
        "/link/fresh", {"csrf_token": token, "token": link_token, "kind": "a"}, "fresh link"))
    return steps.calls, steps.phone.pages


def _detail(ops):
    return ", ".join(f"{ops.count(op)} {op}" for op in dict.fromkeys(ops)) or "none"


def lines(calls: dict[str, list[tuple[str, bool]]], pages: dict[str, int]) -> list[str]:
    out = []
    for name, made in calls.items():
        own = [op for op, sending in made if not sending]
        sent = [op for op, sending in made if sending]
        goal = f" (goal <= {GOALS[name]})" if name in GOALS else ""
        extra = f" + {len(sent)} while sending the confirmations [{_detail(sent)}]" if sent else ""
        scans = sum(op == "Scan" for op, _ in made)
        noun = "call" if len(own) == 1 else "calls"
        out.append(f"client links: {name}: {len(own)} DynamoDB {noun}{goal} [{_detail(own)}]"
                   f"{extra}, {scans} Scans")
    css = (ROOT / "static" / "css" / "attune.css").stat().st_size
    heaviest = max(pages, key=pages.get)
    out.append(f"client links: heaviest page ({heaviest}) {(pages[heaviest] + css) / 1024:.1f} KB "
               f"HTML+CSS (goal <= {WEIGHT_GOAL // 1024} KB)")
    return out


def run():
    from devstack.seed import seed_demo
    from portal import create_app
    from tools.emulated_stack import deployed_container, emulator

    with emulator() as endpoint:
        container = deployed_container(endpoint, "bench-client", NOW, verify_sender=True)
        seed_demo(container.deps, "bench-password-123")
        return lines(*measure(container, create_app(container.config, container=container)))


if __name__ == "__main__":
    print("\n".join(run()))
