"""Logs stay free of PHI: every route (anonymous, therapist, admin; GET and POST with
sentinel values in every field) and every function handler run on a practice whose client
carries sentinel names, phone, email and notes; no log line, as written, holds any of them."""
import json
import logging
from datetime import timedelta

import pytest

from portal.adapters.aws.senders import FakeNotifier
from portal.config import DEV_TOPICS
from portal.domain.checkins import CheckIn
from portal.domain.model import InboxItem
from portal.logs import JsonFormatter
from portal.wiring import Container, set_default_container
from tests.conftest import T0, settings
from tests.e2e.app_walk import Practice

FIRST, LAST = "Zyxwvu", "Sentinelname"
PHONE, EMAIL, NOTE = "+12025550199", "sentinel@example.org", "sentinel-note-text"
SENTINELS = (FIRST, LAST, "2025550199", "202-555-0199", EMAIL, NOTE)


def _sentinel_for(field: str) -> str:
    if "phone" in field:
        return "+1 202-555-0199"
    if "email" in field:
        return EMAIL
    if "first" in field or field == "name":
        return FIRST
    if "last" in field:
        return LAST
    return NOTE


@pytest.fixture(scope="module")
def practice():
    from dataclasses import replace

    p = Practice()
    cid = p.values["client_id"]
    client = p.store.get_client(cid)
    p.store.update_client(replace(client, first_name=FIRST, last_name=LAST, phone=PHONE, email=EMAIL))
    p.store.add_inbox(InboxItem("mchen1", T0 - timedelta(hours=1), "note", cid, text=NOTE, id="sentinel1"))
    p.store.record_checkin(cid, CheckIn(T0 - timedelta(hours=2), 2, "anxiety", NOTE),
                           p.values["appointment_id"], "mchen1")
    return p


def _leaks(records) -> list[str]:
    formatter, found = JsonFormatter(), []
    for record in records:
        line = formatter.format(record)
        json.loads(line)  # one JSON object per line
        found += [f"{s} in {line}" for s in SENTINELS if s.lower() in line.lower()]
    return found


def test_no_route_logs_a_clients_name_phone_email_or_note(practice, caplog):
    caplog.set_level(logging.DEBUG)
    for who in (None, "sam", "maya"):
        web = practice.browser(who)
        fields = practice.fields_by_endpoint(web)
        for rule, endpoint, methods in practice.rules():
            path = practice.path(rule, endpoint)
            if "GET" in methods:
                web.client.get(path, environ_base=web.environ)
            if "POST" in methods:
                data = {name: _sentinel_for(name) for name in fields.get(endpoint, ())}
                data["csrf_token"] = web.token
                web.client.post(path, data=data, environ_base=web.environ)
    routes = [r for r in caplog.records if getattr(r, "event", "") == "request"]
    assert len(routes) > 100 and all(getattr(r, "route", "").startswith("/") or r.route == "(no route)"
                                     for r in routes)
    assert not any("/a/" in r.route and "<token>" not in r.route for r in routes if "/a/" in r.route)
    assert _leaks(caplog.records) == []


def _events():
    ses = {"eventType": "Bounce", "mail": {"messageId": "p-1", "destination": [EMAIL]},
           "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": EMAIL}]}}
    sms = {"eventType": "TEXT_DELIVERED", "messageId": "p-2", "destinationPhoneNumber": PHONE}
    inbound = {"originationNumber": PHONE, "destinationNumber": "+18005550100", "messageKeyword": "K",
               "messageBody": f"C {NOTE}", "inboundMessageId": "in-s1"}
    return {
        "bounces": {"Records": [{"Sns": {"MessageId": "s-1", "TopicArn": DEV_TOPICS["SES_EVENTS_TOPIC_ARN"],
                                         "Message": json.dumps(ses)}}]},
        "sms_events": {"Records": [{"Sns": {"MessageId": "s-2", "TopicArn": DEV_TOPICS["SMS_EVENTS_TOPIC_ARN"],
                                            "Message": json.dumps(sms)}}]},
        "sms_inbound": {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": json.dumps(inbound)}}]},
    }


def test_no_function_logs_a_clients_name_phone_email_or_note(practice, caplog):
    import importlib

    caplog.set_level(logging.DEBUG)
    container = Container(settings(), clock=practice.clock, store=practice.store,
                          notifier=FakeNotifier(), links=practice.links)
    set_default_container(container)
    try:
        events, ran = _events(), 0
        for hours in (0, 20, 46, 70):  # reminders, nudges, check-ins, follow-ups and digests fall due
            practice.clock.set(T0 + timedelta(hours=hours))
            for name in ("reminders", "followups", "checkins", "digest", "bounces", "sms_events", "sms_inbound"):
                module = importlib.import_module(f"functions.{name}")
                try:
                    module.handler(events.get(name, {}), None)
                except Exception:  # noqa: BLE001 - an event failure is logged and raised for a retry
                    pass
                ran += 1
    finally:
        set_default_container(None)
        practice.clock.set(T0)
    assert ran == 28 and container.notifier.sent  # messages went out, so there was something to log
    assert _leaks(caplog.records) == []


def test_the_formatter_keeps_only_allowed_fields_and_no_interpolated_text():
    record = logging.LogRecord("attune.x", logging.WARNING, __file__, 1, "could not text %s: %d tries",
                               (PHONE, 3), None)
    record.route, record.client_name, record.status = "/a/<token>", FIRST, 200
    line = json.loads(JsonFormatter().format(record))
    assert line["msg"] == "could not text %s: %d tries" and line["args"] == [3]
    assert (line["route"], line["status"], line["level"]) == ("/a/<token>", 200, "WARNING")
    assert "client_name" not in line and PHONE not in json.dumps(line)
    try:
        raise ValueError(f"bad phone {PHONE}")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert line["exc_type"] == "ValueError" and PHONE not in json.dumps(line)
