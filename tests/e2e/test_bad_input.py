"""Bad input gets a 4xx with words for a person, and changes nothing: every case here once
answered 500 (found by hand or by tests/e2e/test_fuzz.py) and is kept as a regression."""
import json

import pytest

from tests.e2e.app_walk import Practice
from tests.workspace_support import text

LONG_EMAIL = "a" * 3000 + "@example.org"
WINDOW = "Please use a date between March 2, 2024 and March 2, 2028."
UNREADABLE = "This page takes the form shown on it."
TOO_LONG = "please keep it under"


def window_row(**row):
    base = {"version": "0", "session_minutes": "50", "buffer_minutes": "10"}
    base.update({f"windows-0-{k}": v for k, v in row.items()})
    return base


def time_off(first, last):
    return {"version": "0", "session_minutes": "50", "buffer_minutes": "10",
            "time_off-0-first_day": first, "time_off-0-last_day": last}


def booking(start, repeat="0"):
    return {"start": start, "mode": "in_person", "repeat": repeat, "count": "3"}


# (who, path, body, expected status, words on the page). Bodies: a dict is a form (with a
# valid CSRF token); ("json", value) is JSON with the token in its header; ("raw", type, bytes).
CASES = [
    # A 3,000-character email at sign-in: its throttle key broke DynamoDB's key limit.
    (None, "/t/login", {"email": LONG_EMAIL, "password": "x"}, 400, TOO_LONG),
    # JSON that isn't an object, or a type no form sends, at a client's link.
    (None, "/a/<token>/confirm", ("json", []), 400, UNREADABLE),
    (None, "/a/<token>/confirm", ("json", 1), 400, UNREADABLE),
    (None, "/a/<token>/confirm", ("json", "x"), 400, UNREADABLE),
    (None, "/a/<token>/confirm", ("json", None), 400, UNREADABLE),
    (None, "/a/<token>/confirm", ("json", {"version": {"nested": 1}}), 400, UNREADABLE),
    (None, "/a/<token>/confirm", ("raw", "text/plain", b"version=1"), 400, UNREADABLE),
    (None, "/c/<checkin_token>", ("json", [1, 2]), 400, UNREADABLE),
    ("maya", "/t/clients/<client_id>/edit", ("json", {"first_name": 5}), 400, UNREADABLE),
    ("maya", "/t/therapists", ("json", True), 400, UNREADABLE),  # found by the fuzzer
    ("maya", "/t/inbox/inbox1/handled", ("json", [[1, 2, 3]]), 400, UNREADABLE),
    ("maya", "/t/clients/<client_id>/book", ("json", 1.5), 400, UNREADABLE),
    # Year 9999 or 0001 in the booking forms: an overflow, or a session booked 8,000 years out.
    ("maya", "/t/clients/<client_id>/book", booking("9999-12-31T15:00:00Z"), 400, WINDOW),
    ("maya", "/t/clients/<client_id>/book", booking("9999-03-05T15:00:00Z", "1"), 400, WINDOW),
    ("maya", "/t/clients/<client_id>/book", booking("9999-12-27T15:00:00Z", "1"), 400, WINDOW),
    ("maya", "/t/clients/<client_id>/book", booking("0001-01-01T00:00:00Z"), 400, WINDOW),
    ("maya", "/t/clients/<client_id>/book", booking("9999-12-31T23:00:00-05:00"), 400,
     "Please pick one of the open times."),
    ("maya", "/t/appointments/<appointment_id>/reschedule",
     {"start": "9999-12-31T15:00:00Z", "version": "1"}, 400, WINDOW),
    ("maya", "/t/availability", time_off("9999-12-31", "9999-12-31"), 400, WINDOW),
    ("maya", "/t/availability", time_off("0001-01-01", "0001-01-02"), 400, WINDOW),
    # An availability row without a weekday: int(None).
    ("maya", "/t/availability", window_row(start="09:00", end="10:00", modes="tele"), 400,
     "Pick a day, a start and an end time, and at least one way to meet."),
    # Over-long fields and ids: refused before any read, with the field named.
    ("maya", "/t/clients/new", {"first_name": "x" * 5000, "timezone": "America/New_York"}, 400,
     "First name: please keep it under 80 characters."),
    ("maya", "/t/settings", {"crisis_text": "x" * 1001}, 400, "Crisis resources"),
    ("maya", "/t/availability?therapist=" + "x" * 3000, {"therapist": "x" * 3000}, 404, "couldn't find"),
    ("maya", "/t/therapists/" + "x" * 3000 + "/password", {}, 404, "couldn't find"),
    ("maya", "/t/appointments/<appointment_id>/confirm", {"version": "9" * 40}, 409, "changed while"),
]


@pytest.fixture
def practice():
    return Practice()


def _send(practice, web, path, body):
    path = practice.path(path, "checkins.answer" if path.startswith("/c/") else "client")
    if isinstance(body, dict):
        return web.post(path, body)
    if body[0] == "json":
        return web.client.post(path, data=json.dumps(body[1]), content_type="application/json",
                               headers={"X-CSRFToken": web.token}, environ_base=web.environ)
    return web.client.post(path, data=body[2], content_type=body[1], headers={"X-CSRFToken": web.token},
                           environ_base=web.environ)


@pytest.mark.parametrize("who, path, body, status, words", CASES)
def test_bad_input_gets_a_kind_4xx_and_changes_nothing(practice, who, path, body, status, words):
    web = practice.browser(who)
    before = practice.snapshot()
    answer = _send(practice, web, path, body)
    assert answer.status_code == status, text(answer)[:300]
    assert words in text(answer)
    assert practice.snapshot() == before


def test_json_errors_answer_in_json_for_json_callers(practice):
    web = practice.browser(None)
    answer = web.client.post(practice.path("/a/<token>/confirm", "client"), data="[]",
                             content_type="application/json", headers={"X-CSRFToken": web.token,
                                                                       "Accept": "application/json"})
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "We couldn't read that"


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_an_oversize_id_in_the_query_is_a_404_not_a_table_error(practice, method):
    """Found by the fuzzer: ?therapist=<3,000 characters> reached DynamoDB as a key."""
    web = practice.browser("maya")
    for path in ("/t/?therapist=", "/t/availability?therapist=", "/t/clients?therapist="):
        answer = web.client.open(path + "x" * 3000, method=method, environ_base=web.environ)
        assert answer.status_code == 404
