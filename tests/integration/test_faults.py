"""Fault injection: AWS throttles, times out or answers 500 at each store operation and each send.

Faults go in through botocore's own event hooks on the app's clients, at ``before-send``,
inside botocore's retry loop, so the standard retry mode is exercised as it would be
against AWS. For each injection point: what the client saw (a 409/503 page, never a
500) and what was stored (the change whole or not at all; nothing doubled).
Run with ``-s`` to print the table (injection point -> what the user saw -> what was stored).
"""
import re
from datetime import timedelta

import pytest

from portal import create_app
from portal.domain.audit import Actor
from portal.domain.model import Mode
from portal.services.sessions import open_times as actions
from portal.services.sessions.booking import record_booking
from tests import builders
from tests.conftest import BASE_URL, T0

TARGET = T0 + timedelta(days=3, hours=1)  # Thursday 10:00 in New York: an open time
TABLE: list[str] = []


# --- faults, as AWS would answer -----------------------------------------------------------------
class _Raw:
    def __init__(self, body: bytes):
        self.body = body

    def stream(self, **_):
        yield self.body


def _answer(status: int, code: str, json_protocol: bool):
    from botocore.awsrequest import AWSResponse

    if json_protocol:
        body = f'{{"__type": "com.amazonaws.dynamodb.v20120810#{code}", "message": "injected"}}'
        headers = {"x-amzn-ErrorType": code, "content-type": "application/x-amz-json-1.0"}
    else:  # SES and SNS speak XML
        body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                "<Message>injected</Message></Error><RequestId>x</RequestId></ErrorResponse>")
        headers = {"content-type": "text/xml"}
    return AWSResponse("http://injected", status, headers, _Raw(body.encode()))


FAULTS = {
    "throttled": lambda json: _answer(400, "ProvisionedThroughputExceededException" if json
                                      else "Throttling", json),
    "500": lambda json: _answer(500, "InternalServerError" if json else "InternalFailure", json),
    "timeout": None,  # raised, not answered
}


class Injector:
    """Fails every call of one operation (after ``after`` good ones), counting the attempts."""

    def __init__(self, client, service: str, operation: str, fault: str, after: int = 0):
        self.fault, self.json, self.after = fault, service == "dynamodb", after
        self.attempts = 0
        self.event = f"before-send.{service}.{operation}"
        self.events = client.meta.events
        self.events.register(self.event, self)

    def __call__(self, request, **_):
        from botocore.exceptions import ReadTimeoutError

        if self.after > 0:
            self.after -= 1
            return None
        self.attempts += 1
        if self.fault == "timeout":
            raise ReadTimeoutError(endpoint_url=request.url)
        return FAULTS[self.fault](self.json)

    def remove(self):
        self.events.unregister(self.event, self)


@pytest.fixture(scope="module", autouse=True)
def print_the_table():
    """After the module: the table gathered by the tests (shown with -s)."""
    yield
    if TABLE:
        print("\ninjection point -> what the user saw -> what was stored")
        print("\n".join(sorted(TABLE)))


@pytest.fixture(autouse=True)
def no_backoff_wait(monkeypatch):
    """botocore's standard mode waits up to 2^n seconds between tries: the tries stay, the wait goes."""
    from botocore.retries import standard

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0)


# --- the journey: a client moves their session through the link --------------------------------
@pytest.fixture
def journey(aws):
    therapist = builders.therapist()
    aws.store.add_therapist(therapist, builders.weekday_availability())
    client = builders.client(tid=therapist.id)
    aws.store.add_client(client)
    aws.store.save_settings(builders_settings())
    booked = record_booking(aws.deps, therapist, client, T0 + timedelta(days=1), Mode.TELE,
                            actor=Actor.system("test"))
    app = create_app(aws.config, container=aws)
    http = app.test_client()
    path = aws.links.appointment_url(booked).removeprefix(BASE_URL)
    listing = http.get(path + "/reschedule").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', listing).group(1)
    form = {"csrf_token": token, "version": booked.version, "start": actions.slot_value(TARGET)}
    return aws, http, path, form, booked


def builders_settings():
    from portal.domain.model import PracticeSettings

    # No grace before the confirmation: it goes out in the request, so SES and SNS are on its path.
    return PracticeSettings(display_name="Riverbend Counseling", contact_phone="+1 202-555-0100",
                            change_grace_minutes=0)


def _stored(aws, booked) -> str:
    """What the table holds: the session where it was, or moved whole, and never twice."""
    now = aws.store.get_appointment(booked.id, consistent=True)
    sessions = aws.store.client_appointments(booked.client_id, T0, T0 + timedelta(days=7))
    assert len(sessions) == 1, "a session was doubled or lost"
    held_old, held_new = _claimed(aws, booked, booked.start), _claimed(aws, booked, TARGET)
    if now.start == booked.start:
        assert now.version == booked.version and held_old and not held_new, "half a change"
        return "unchanged"
    assert now.start == TARGET and now.version == booked.version + 1
    assert held_new and not held_old, "half a change"
    return "moved whole"


def _claimed(aws, booked, start) -> bool:
    """Every time cell of the session starting at ``start`` is claimed by it (all or none)."""
    from portal.adapters.codec import keys
    from portal.domain.timemath import cells

    held = [aws.store.table.get(*keys.slot_key(booked.therapist_id, cell))
            for cell in cells(start, start + timedelta(minutes=60))]
    mine = [c is not None and c["appointment_id"] == booked.id for c in held]
    assert all(mine) or not any(mine), "claims half taken"
    return all(mine)


# What the client's reschedule calls (GetItem, Query, PutItem, UpdateItem: the workspace's, below).
POINTS = [("dynamodb", "BatchGetItem"), ("dynamodb", "TransactWriteItems"),
          ("ses", "SendRawEmail"), ("sns", "Publish")]


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("service, operation", POINTS, ids=[op for _, op in POINTS])
def test_a_fault_at_each_point_gives_a_kind_page_and_a_whole_change(journey, service, operation, fault):
    aws, http, path, form, booked = journey
    fault_at = Injector(aws.client(service), service, operation, fault)
    try:
        answer = http.post(path + "/reschedule", data=form)
    finally:
        fault_at.remove()
    body = answer.get_data(as_text=True)
    stored = _stored(aws, booked)
    assert answer.status_code in (302, 409, 503), body
    if answer.status_code == 503:
        assert answer.headers["Retry-After"] == "5"
        assert "busy for a moment" in body and "+1 202-555-0100" in body
        assert "Traceback" not in body
        assert stored == "unchanged"
        assert fault_at.attempts == 3  # botocore's standard mode tried three times
    if answer.status_code == 302:
        assert stored == "moved whole"
    assert fault_at.attempts, "the operation is on this path"
    TABLE.append(f"client reschedule: {service}.{operation} {fault}: HTTP {answer.status_code} -> {stored}")


@pytest.mark.parametrize("operation", ["GetItem", "BatchGetItem", "TransactWriteItems"])
def test_one_fault_then_success_is_retried_unseen(journey, operation):
    aws, http, path, form, booked = journey
    fault_at = Injector(aws.client("dynamodb"), "dynamodb", operation, "throttled")
    fault_at.after, first = 0, fault_at.__call__

    def once(request, **kw):
        return first(request, **kw) if fault_at.attempts == 0 else None
    fault_at.events.unregister(fault_at.event, fault_at)
    fault_at.events.register(fault_at.event, once)
    try:
        answer = http.post(path + "/reschedule", data=form)
    finally:
        fault_at.events.unregister(fault_at.event, once)
    assert answer.status_code == 302
    assert _stored(aws, booked) == "moved whole"


# --- the workspace: sign-in, a page of reads, and a client edit (UpdateItem, PutItem) -----------
@pytest.fixture
def workspace(aws):
    from tests.workspace_support import Web, seeded

    seeded(aws.deps)
    app = create_app(aws.config, container=aws)
    web = Web(app)
    assert web.login().status_code == 302
    return aws, web, Web(app)  # the last one not signed in yet


WORKSPACE_POINTS = [("sign-in", "UpdateItem"), ("sign-in", "GetItem"), ("dashboard", "Query"),
                    ("dashboard", "GetItem"), ("client edit", "UpdateItem"), ("client edit", "PutItem")]
EDIT = {"first_name": "Marisol", "last_name": "Vega", "email": "new.address@example.com",
        "phone": "", "timezone": "America/New_York", "channels": ["email"]}


def _workspace_action(web, newcomer, action):
    from tests.workspace_support import DEMO_PASSWORD, MAYA

    if action == "sign-in":
        newcomer.get("/t/login")
        return newcomer.post("/t/login", {"email": MAYA, "password": DEMO_PASSWORD})
    if action == "dashboard":
        return web.get("/t/")
    web.get("/t/clients/cmari05/edit")
    return web.post("/t/clients/cmari05/edit", EDIT)


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("action, operation", WORKSPACE_POINTS,
                         ids=[f"{a}-{op}" for a, op in WORKSPACE_POINTS])
def test_workspace_users_get_the_same_kind_page(workspace, action, operation, fault):
    aws, web, newcomer = workspace
    before = aws.store.get_client("cmari05")
    fault_at = Injector(aws.client("dynamodb"), "dynamodb", operation, fault)
    try:
        answer = _workspace_action(web, newcomer, action)
    finally:
        fault_at.remove()
    assert fault_at.attempts, "the operation is on this path"
    assert answer.status_code == 503, answer.get_data(as_text=True)
    assert answer.headers["Retry-After"] == "5"
    assert "busy for a moment" in answer.get_data(as_text=True)
    after = aws.store.get_client("cmari05")
    if action == "client edit" and operation == "UpdateItem":
        # The address lookup went first: harmless on its own, and the client is as it was.
        assert after == before
        stored = "client unchanged (a spare address lookup, harmless)"
    else:
        assert after == before
        stored = "unchanged"
    TABLE.append(f"workspace {action}: dynamodb.{operation} {fault}: HTTP 503 -> {stored}")


# --- the reminder run: a crash between "sent" and "marked sent" ---------------------------------
def test_a_crash_after_sending_and_before_marking_sends_that_message_at_most_twice(aws, clock):
    from portal.domain.errors import ServiceBusy
    from portal.domain.messages import SENT
    from portal.services.messaging.due import LEASE
    from portal.services.messaging.reminders import send_due_reminders

    therapist, client = builders.therapist(), builders.client()
    aws.store.add_therapist(therapist, builders.weekday_availability())
    aws.store.add_client(client)
    session = record_booking(aws.deps, therapist, client, T0 + timedelta(hours=26), Mode.TELE,
                             actor=Actor.system("test"))
    sends = []
    for service, operation in (("ses", "SendRawEmail"), ("sns", "Publish")):
        aws.client(service).meta.events.register(f"before-call.{service}.{operation}",
                                                 lambda model, **_: sends.append(model.name))
    crashed = []

    def crash_on_first_mark(params, **_):
        """Marking sent is one transaction (the message and its provider-id lookup)."""
        from botocore.exceptions import ReadTimeoutError

        items = [op["Put"]["Item"] for op in params.get("TransactItems", []) if "Put" in op]
        marks = [i for i in items if i.get("status") == {"S": SENT}]
        if not crashed and marks:
            crashed.append(marks[0]["sk"]["S"])
            raise ReadTimeoutError(endpoint_url="http://injected")
    events = aws.client("dynamodb").meta.events
    events.register("before-parameter-build.dynamodb.TransactWriteItems", crash_on_first_mark)
    clock.set(T0 + timedelta(hours=2, minutes=1))  # the 24-hour reminders are due
    with pytest.raises(ServiceBusy):
        send_due_reminders(aws.deps)
    events.unregister("before-parameter-build.dynamodb.TransactWriteItems", crash_on_first_mark)
    assert crashed and len(sends) == 1  # sent, then the run died before marking it
    clock.advance(LEASE + timedelta(minutes=1))  # the crashed run's claims run out
    send_due_reminders(aws.deps)
    marked = [m for m in aws.store.messages_of(session.id) if m.status == SENT]
    assert len(sends) == len(marked) + 1  # every message once, the crashed one twice
    send_due_reminders(aws.deps)
    assert len(sends) == len(marked) + 1  # and never again
    TABLE.append(f"reminder run: crash between sent and marked ({crashed[0]}) -> run fails, "
                 f"retried after the lease -> {len(marked)} messages, {len(sends)} sends (1 duplicate)")
