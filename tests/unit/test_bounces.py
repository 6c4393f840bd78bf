"""SES bounces and complaints stop email to that address; transient bounces do not."""
import json

from functions import bounces
from portal.interfaces import Email
from portal.services.bounces import SuppressingNotifier, record_ses_event
from portal.wiring import set_default_container


def ses_event(kind, address, bounce_type="Permanent"):
    body = {"eventType": kind, "mail": {"destination": [address]}}
    if kind == "Bounce":
        body["bounce"] = {"bounceType": bounce_type, "bouncedRecipients": [{"emailAddress": address}]}
    else:
        body["complaint"] = {"complainedRecipients": [{"emailAddress": address}]}
    return body


def test_permanent_bounce_and_complaint_suppress_but_transient_does_not(deps, notifier):
    assert record_ses_event(deps, ses_event("Bounce", "Gone@Example.com")) == 1
    assert record_ses_event(deps, ses_event("Complaint", "angry@example.com")) == 1
    assert record_ses_event(deps, ses_event("Bounce", "full@example.com", "Transient")) == 0
    guarded = SuppressingNotifier(notifier, deps.store)
    assert guarded.send_email(Email("gone@example.com", "s", "t")) is None
    assert guarded.send_email(Email("angry@example.com", "s", "t")) is None
    assert guarded.send_email(Email("full@example.com", "s", "t")) == "email-1"
    assert guarded.send_sms("+12025550143", "hi") == "sms-2"  # SMS is unaffected
    assert [to for _, to, _ in notifier.sent] == ["full@example.com", "+12025550143"]


class FakeContainer:
    def __init__(self, deps):
        self.deps = deps


def test_handler_reads_sns_records_and_ignores_junk(deps):
    event = {"Records": [{"Sns": {"Message": json.dumps(ses_event("Bounce", "x@example.com"))}},
                         {"Sns": {"Message": "not json"}}, {"nothing": 1}]}
    set_default_container(FakeContainer(deps))
    try:
        assert bounces.handler(event, None) == {"suppressed": 1, "unreadable": 2}
    finally:
        set_default_container(None)
    assert deps.store.get_record("SUPPRESS#x@example.com", "S")["reason"] == "bounce"
