"""Property-based fuzzing: no request, however odd, gets a 5xx.

Every route of ``app.url_map`` (every method, the static files' included), as an anonymous
visitor, a therapist and the practice admin, with a valid, missing or tampered CSRF token.
Bodies are forms with edge values for the fields the route's page posts back (long, short,
unicode, numbers, dates in year 0001 and 9999, empty, missing), random JSON, or random
bytes under a random content type; paths carry real, tampered or random ids and tokens.
The practice sits on a table that refuses what DynamoDB refuses (tests/e2e/app_walk.py).

FUZZ_EXAMPLES sets how many requests are made (``make fuzz``: 10,000); ``make test`` runs
a small, fixed set. Each failure ever found is kept in tests/e2e/test_bad_input.py.
"""
import os
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.app_walk import Practice

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
# Fields posted by forms that the walk can't reach from a page (a past session's, a cancel step's).
FIELD_HINTS = {
    "workspace.attendance": {"status", "version", "csrf_token"},
    "workspace.inbox_handled": {"therapist", "view", "csrf_token"},
    "client.cancel_post": {"version", "barrier", "note", "csrf_token"},
    "client.rebook_post": {"start", "mode", "csrf_token"},
    "checkins.turn_on": {"csrf_token"},
    "workspace.login": {"email", "password", "next", "csrf_token"},
    "workspace.login_code": {"code", "csrf_token"},
    "workspace.login_enrol": {"secret", "code", "csrf_token"},
}
EDGES = [
    "", " ", "0", "1", "-1", "5", "26", "27", "336", "99999999999999999999999999999999999999999",
    "1e309", "NaN", "inf", "3.5", "0001-01-01", "9999-12-31", "2026-02-30", "2026-03-10",
    "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:00:00-05:00", "2026-03-05T15:00:00Z",
    "2026-03-05T15:00:00", "25:61", "09:00", "17:30", "in_person", "tele", "email", "sms", "voice",
    "cost", "transport", "admin", "therapist", "all", "attended", "no_show", "America/New_York",
    "Not/AZone", "../../etc/passwd", "<script>alert(1)</script>", "\x00", "ü" * 300,
    "a" * 3000 + "@example.org", "x" * 100_000, "2", "3", "4", "mchen1", "sokaf1", "calex01", "/t/clients",
    "//evil.example",
]
IDS = ["", "x", "a" * 3000, "mchen1", "sokaf1", "calex01", "demomche00", "../x", "%00", "ü" * 40]
CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "application/json",
                 "text/plain", "application/xml", "", "application/json; charset=latin-1", "image/png"]

texts = st.text(max_size=40) | st.text(min_size=200, max_size=3000) | st.sampled_from(EDGES)
values = (st.sampled_from(EDGES) | texts | st.integers().map(str) | st.dates().map(lambda d: d.isoformat())
          | st.datetimes().map(lambda d: d.isoformat() + "Z") | st.lists(texts, max_size=3))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                                      max_size=4),
                           max_leaves=12)


class Fuzzer:
    """The practice, a browser per identity, and a tally of what came back."""

    def __init__(self):
        self.practice = Practice()
        # Every method each route takes, POSTs three times over (they reach the most code).
        self.routes = [(rule, endpoint, method) for rule, endpoint, methods in self.practice.rules()
                       for method in methods for _ in range(3 if method == "POST" else 1)]
        self.browsers = {who: self.practice.browser(who) for who in (None, "sam", "maya")}
        seen = self.practice.fields_by_endpoint(self.browsers["maya"])
        for endpoint, names in self.practice.fields_by_endpoint(self.browsers[None]).items():
            seen.setdefault(endpoint, set()).update(names)
        for endpoint, names in FIELD_HINTS.items():
            seen.setdefault(endpoint, set()).update(names)
        self.fields = {endpoint: sorted(names) for endpoint, names in seen.items()}
        self.all_fields = sorted({n for names in seen.values() for n in names})
        self.requests, self.failures, self.statuses = 0, [], Counter()

    def browser(self, who):
        web = self.browsers[who]
        if who is not None and web.get("/t/password").status_code != 200:
            web = self.browsers[who] = self.practice.browser(who)  # signed out by a fuzzed request
        return web

    def send(self, web, method, path, **kwargs):
        self.requests += 1
        answer = web.client.open(path, method=method, environ_base=web.environ, **kwargs)
        self.statuses[answer.status_code] += 1
        if answer.status_code >= 500:
            self.failures.append((method, path[:120], {k: repr(v)[:200] for k, v in kwargs.items()},
                                  answer.status_code))
        return answer


_fuzzer = None


def fuzzer() -> Fuzzer:
    global _fuzzer
    if _fuzzer is None:
        _fuzzer = Fuzzer()
    return _fuzzer


@st.composite
def requests(draw):
    f = fuzzer()
    rule, endpoint, method = draw(st.sampled_from(f.routes))
    if draw(st.integers(0, 19)) == 0:
        method = draw(st.sampled_from(["PUT", "DELETE", "PATCH", "POST", "GET", "HEAD", "OPTIONS"]))
    who = draw(st.sampled_from([None, "sam", "maya", "maya"] if endpoint.startswith("workspace.")
                               else [None, None, "sam", "maya"]))
    overrides = {}
    for name in ("token", "checkin_token", "appointment_id", "client_id", "therapist_id", "item_id"):
        choice = draw(st.sampled_from(["real"] * 6 + ["tampered", "random"]))
        real = f.practice.values[name]
        if choice == "tampered":
            overrides[name] = real[:-3] + draw(st.sampled_from(["abc", "A_-", "...", "%2F"]))
        elif choice == "random":
            overrides[name] = draw(st.sampled_from(IDS) | st.text(min_size=1, max_size=30).filter(
                lambda s: "/" not in s and "?" not in s and "#" not in s))
    path = f.practice.path(rule, endpoint, overrides)
    if draw(st.booleans()):
        path += "?" + draw(st.sampled_from(["score=3", "score=9", "therapist=all", "therapist=sokaf1",
                                            "therapist=" + "x" * 3000, "next=//evil", "from=9999-12-31",
                                            "from=0001-01-01", "mode=tele", "only=evening-weekend",
                                            "expired=1", "barrier=cost", "barrier=zzz"]))
    form = {}  # the route's own fields, each sometimes missing, and now and then a stranger
    for name in f.fields.get(endpoint, []):
        if name != "csrf_token" and draw(st.integers(0, 9)) < 8:
            form[name] = draw(values)
    form.update(draw(st.dictionaries(st.sampled_from(f.all_fields), values, max_size=2)))
    csrf = draw(st.sampled_from(["valid"] * 6 + ["missing", "tampered"]))
    body = draw(st.sampled_from(["form", "form", "form", "json", "raw"]))
    return who, method, path, form, csrf, body, draw(json_values), draw(st.sampled_from(CONTENT_TYPES)), \
        draw(st.binary(max_size=200))


def _send(request):
    f = fuzzer()
    who, method, path, form, csrf, body, json_body, content_type, raw = request
    web = f.browser(who)
    token = {"valid": web.token, "missing": None, "tampered": (web.token or "x")[:-4] + "AAAA"}[csrf]
    headers = {"X-CSRFToken": token} if token and body == "json" else {}
    if body == "form":
        data = dict(form, csrf_token=token) if token else form
        f.send(web, method, path, data=data, headers=headers)
    elif body == "json":
        if isinstance(json_body, dict) and form and not isinstance(next(iter(form.values())), list):
            json_body = dict(form)
        f.send(web, method, path, json=json_body, headers=headers)
    else:
        f.send(web, method, path, data=raw, content_type=content_type, headers=headers)


@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize="FUZZ_EXAMPLES" not in os.environ,
          suppress_health_check=list(HealthCheck))
@given(requests())
def _fuzz(request):
    _send(request)


def test_no_request_gets_a_5xx():
    _fuzz()
    f = fuzzer()
    print(f"\nfuzz: {f.requests} requests, {len(f.failures)} answered 5xx; by status: "
          + ", ".join(f"{code}: {n}" for code, n in sorted(f.statuses.items())))
    assert f.requests >= EXAMPLES * 0.9
    assert f.failures == [], f.failures[:10]
