"""Walking every route of the app: a seeded practice on a table as strict as DynamoDB,
real values for each route's variables, and the form fields each page posts back.

Shared by the HEAD walk (tests/e2e/test_head_walk.py) and the fuzzer (test_fuzz.py).
"""
from __future__ import annotations

import json
import re
from datetime import timedelta

from werkzeug.exceptions import HTTPException

from portal.adapters.aws.senders import FakeNotifier
from portal.adapters.store import Store
from portal.adapters.tables import INDEX_KEYS
from portal.adapters.tables.memory import MemoryTable
from portal.clock import FixedClock
from portal.interfaces import Deps
from portal.links import CHECKIN_SALT, Links
from tests.conftest import BASE_URL, T0, TEST_SECRET
from tests.workspace_support import MAYA, SAM, Web, app_on, seeded

FORM = re.compile(r'<form\b([^>]*)>(.*?)</form>', re.S)
ACTION = re.compile(r'action="([^"]*)"')
NAME = re.compile(r'name="([^"]+)"')


class DynamoLimits(Exception):
    """What DynamoDB would answer with a ValidationException: the app must never get here."""


class StrictTable(MemoryTable):
    """The in-memory table, refusing what DynamoDB refuses: oversize or empty key values,
    items over 400 KB, and numbers over 38 digits. A refusal surfaces as a 5xx."""

    def get(self, pk, sk, consistent=False):
        _key(pk, sk)
        return super().get(pk, sk, consistent)

    def batch_get(self, keys, consistent=False):
        for pk, sk in keys:
            _key(pk, sk)
        return super().batch_get(keys, consistent)

    def query(self, pk, **kwargs):
        _key(pk, "q")
        return super().query(pk, **kwargs)

    def update(self, pk, sk, fields, *args, **kwargs):
        _key(pk, sk)
        _item(dict(fields, pk=pk, sk=sk))
        return super().update(pk, sk, fields, *args, **kwargs)

    def add(self, pk, sk, attribute, amount, extra=None):
        _key(pk, sk)
        return super().add(pk, sk, attribute, amount, extra)

    def transact(self, operations):
        for op in operations:
            item = getattr(op, "item", None)
            if item is not None:
                _item(item)
            else:
                _key(op.pk, op.sk)
        return super().transact(operations)


def _key(pk, sk):
    for value, limit in ((pk, 2048), (sk, 1024)):
        if not isinstance(value, str) or not value or len(value.encode()) > limit:
            raise DynamoLimits(f"key {str(value)[:40]!r}… breaks DynamoDB's key rules")


def _item(item: dict):
    _key(item["pk"], item["sk"])
    for hash_name, range_name in INDEX_KEYS.values():
        for name, limit in ((hash_name, 2048), (range_name, 1024)):
            value = item.get(name)
            if value is not None and (value == "" or len(str(value).encode()) > limit):
                raise DynamoLimits(f"index key {name} breaks DynamoDB's key rules")
    if len(json.dumps(item, default=str).encode()) > 400_000:
        raise DynamoLimits("item over 400 KB")
    for value in item.values():
        if isinstance(value, int) and abs(value) >= 10 ** 38:
            raise DynamoLimits("number over 38 digits")


class Practice:
    """The seeded demo practice behind the real app factory, on the strict table."""

    def __init__(self):
        self.clock = FixedClock(T0)
        self.links = Links(TEST_SECRET, BASE_URL, 7)
        self.store = Store(StrictTable())
        self.deps = seeded(Deps(store=self.store, notifier=FakeNotifier(), clock=self.clock,
                                links=self.links))
        self.app = app_on(self.deps)
        self.values = self._values()
        self._logins = 0

    def _values(self) -> dict[str, str]:
        """A real value for each URL variable: ids and tokens that open something."""
        ahead = self.store.therapist_appointments("mchen1", T0 - timedelta(days=30), T0 + timedelta(days=30))
        upcoming = next(a for a in ahead if a.start > T0 and a.status.is_open)
        return {"appointment_id": upcoming.id, "client_id": upcoming.client_id, "therapist_id": "sokaf1",
                "item_id": "inbox1", "filename": "css/attune.css",
                "token": self.links.token(upcoming), "checkin_token": self.links.token(upcoming, CHECKIN_SALT),
                "feed_token": self._feed_token(), "offer_token": self._offer_token(upcoming)}

    def _feed_token(self) -> str:
        """Maya's current calendar-feed token (her key is set once, before any snapshot)."""
        self.store.set_feed_key("mchen1", "walkfeedkey")
        return self.links.feed_token("mchen1", "walkfeedkey")

    def _offer_token(self, upcoming) -> str:
        """An offer of a freed time to the upcoming session's client (the waitlist's /o/ pages)."""
        from portal.domain.waitlist import OfferSent, Opening

        start = upcoming.start - timedelta(days=1)
        opening = Opening("open1", upcoming.therapist_id, start, start + timedelta(minutes=50),
                          frozenset({upcoming.mode}), "gone1", T0,
                          offers=(OfferSent(upcoming.client_id, 1, T0, "sms"),))
        self.store.table.put(self.store.opening_record(opening).item)
        return self.links.offer_url(opening, upcoming.client_id).rsplit("/", 1)[-1]

    def rules(self):
        """(rule, endpoint, methods) of every route but the static files' own."""
        return [(r.rule, r.endpoint, sorted(r.methods - {"OPTIONS"})) for r in self.app.url_map.iter_rules()]

    def path(self, rule: str, endpoint: str, overrides: dict | None = None) -> str:
        values = dict(self.values, **(overrides or {}))
        if endpoint.startswith("checkins."):
            values["token"] = values["checkin_token"]
        if endpoint.startswith("offers."):
            values["token"] = values["offer_token"]
        return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: values[m.group(1)], rule)

    def browser(self, who: str | None) -> Web:
        """A test browser: anonymous (None), or signed in as "maya" (admin) or "sam"."""
        self._logins += 1
        web = Web(self.app, remote_addr=f"10.9.{self._logins // 250}.{self._logins % 250 + 1}")
        if who is not None:
            from devstack.seed import reset_demo_passwords
            from tests.workspace_support import DEMO_PASSWORD

            reset_demo_passwords(self.store, DEMO_PASSWORD)  # a fuzzed reset may have changed it
            for tid in ("mchen1", "sokaf1"):  # and a fuzzed deactivation switched one off
                self.store.set_therapist_active(tid, True)
            self._password_alone()  # a fuzzed admin may have required two-step sign-in
            assert web.login({"maya": MAYA, "sam": SAM}[who]).status_code == 302
        web.get("/t/password" if who else "/t/login")  # a page with this session's CSRF token
        assert web.token
        return web

    def _password_alone(self):
        from dataclasses import replace

        settings = self.store.get_settings()
        if settings.two_step_required:
            self.store.save_settings(replace(settings, two_step_required=False))

    def snapshot(self) -> dict:
        """Every item but the access log: a read of client data appends one line there by
        design (tests/unit/test_privacy.py counts them); nothing else may change."""
        import copy

        return {key: copy.deepcopy(item) for key, item in self.store.table._items.items()
                if not key[0].startswith("ACCESS#")}

    def fields_by_endpoint(self, web: Web) -> dict[str, set[str]]:
        """The field names each page's forms post back, keyed by the endpoint they post to."""
        adapter = self.app.url_map.bind("portal.test")
        found: dict[str, set[str]] = {}
        for rule, endpoint, methods in self.rules():
            if "GET" not in methods or endpoint == "static":
                continue
            page_path = self.path(rule, endpoint)
            page = web.client.get(page_path, environ_base=web.environ).get_data(as_text=True)
            for attributes, body in FORM.findall(page):
                action = (ACTION.search(attributes) or [None, page_path])[1].split("?")[0]
                try:
                    target, _ = adapter.match(action.replace(BASE_URL, ""), method="POST")
                except HTTPException:  # a GET form (filters): nothing posted
                    continue
                found.setdefault(target, set()).update(NAME.findall(body))
        return found
