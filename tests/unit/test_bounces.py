"""SES bounces and complaints stop email to the clients at that address; transient ones do not."""
import json
from dataclasses import replace

import pytest

from functions import bounces
from portal.config import DEV_TOPICS
from portal.domain.model import Channel
from portal.services.messaging.bounces import record_ses_event
from tests import builders

TOPIC = DEV_TOPICS["SES_EVENTS_TOPIC_ARN"]  # what the test settings accept


def ses_event(kind, address, bounce_type="Permanent"):
    body = {"eventType": kind, "mail": {"destination": [address]}}
    if kind == "Bounce":
        body["bounce"] = {"bounceType": bounce_type, "bouncedRecipients": [{"emailAddress": address}]}
    else:
        body["complaint"] = {"complainedRecipients": [{"emailAddress": address}]}
    return body


def test_permanent_bounce_blocks_email_but_not_texts(deps):
    _, alex = builders.practice(deps.store)
    assert alex.wants(Channel.EMAIL)
    assert record_ses_event(deps, ses_event("Bounce", "ALEX@example.com")) == 1
    stored = deps.store.get_client(alex.id)
    assert stored.email_blocked and not stored.wants(Channel.EMAIL) and stored.wants(Channel.SMS)
    assert record_ses_event(deps, ses_event("Bounce", "alex@example.com")) == 0  # already blocked


def test_complaint_blocks_and_transient_bounce_does_not(deps):
    _, alex = builders.practice(deps.store)
    assert record_ses_event(deps, ses_event("Bounce", alex.email, "Transient")) == 0
    assert not deps.store.get_client(alex.id).email_blocked
    assert record_ses_event(deps, ses_event("Complaint", alex.email)) == 1
    assert deps.store.get_client(alex.id).email_blocked


def test_an_old_address_no_longer_matches_after_it_changes(deps):
    _, alex = builders.practice(deps.store)
    deps.store.update_client(replace(alex, email="alex.new@example.com"))
    assert record_ses_event(deps, ses_event("Bounce", "alex@example.com")) == 0
    assert [c.id for c in deps.store.clients_by_email("Alex.New@example.com")] == [alex.id]


def test_handler_reads_sns_records_and_ignores_junk(deps, handlers):
    _, alex = builders.practice(deps.store)
    event = {"Records": [{"Sns": {"TopicArn": TOPIC, "Message": json.dumps(ses_event("Bounce", alex.email))}},
                         {"Sns": {"TopicArn": TOPIC, "Message": "not json"}}, {"nothing": 1}]}
    assert bounces.handler(event, None) == {"blocked": 1, "unreadable": 1, "refused": 1}


def sns_record(body, message_id="sns-1"):
    return {"Sns": {"MessageId": message_id, "TopicArn": TOPIC, "Message": json.dumps(body)}}


def test_a_failed_block_raises_for_a_retry_and_the_redelivery_blocks_once(deps, handlers, monkeypatch):
    from functions._guard import EventFailed

    _, alex = builders.practice(deps.store)
    original, applied = deps.store.set_client_flags, []

    def flaky(client_id, **flags):
        if not hasattr(flaky, "failed"):
            flaky.failed = True
            raise TypeError("a bug, or DynamoDB timing out")
        applied.append(client_id)
        return original(client_id, **flags)

    monkeypatch.setattr(deps.store, "set_client_flags", flaky)
    event = {"Records": [sns_record(ses_event("Bounce", alex.email))]}
    with pytest.raises(EventFailed) as failure:  # never a TypeError: Zappa would re-call
        bounces.handler(event, None)
    assert not isinstance(failure.value, TypeError)
    assert not deps.store.get_client(alex.id).email_blocked
    assert bounces.handler(event, None)["blocked"] == 1  # the platform's retry
    assert bounces.handler(event, None)["blocked"] == 0  # and a duplicate delivery
    assert deps.store.get_client(alex.id).email_blocked and applied == [alex.id]


def test_a_completed_ses_message_delivered_again_does_nothing(deps, monkeypatch):
    from portal.services.messaging.bounces import handle_event

    _, alex = builders.practice(deps.store)
    event = {"Records": [sns_record(ses_event("Complaint", alex.email), "sns-2")]}
    assert handle_event(deps, event, TOPIC)["blocked"] == 1
    deps.store.set_client_flags(alex.id, email_blocked=False)  # the therapist fixed the address
    monkeypatch.setattr(deps.store, "clients_by_email", lambda a: pytest.fail("handled twice"))
    assert handle_event(deps, event, TOPIC) == {"blocked": 0, "unreadable": 0, "refused": 0}
    assert not deps.store.get_client(alex.id).email_blocked


def test_a_crashed_runs_lock_on_an_ses_message_is_taken_over_once_it_expires(deps, clock):
    from portal.services.messaging.bounces import handle_event
    from portal.services.messaging.inbound import LOCK_FOR, InboundBusy

    _, alex = builders.practice(deps.store)
    event = {"Records": [sns_record(ses_event("Bounce", alex.email), "sns-3")]}
    deps.store.begin_inbound("ses", "sns-3", "crashed", clock.now(), clock.now() + LOCK_FOR, 2**40)
    with pytest.raises(InboundBusy):
        handle_event(deps, event, TOPIC)
    clock.advance(LOCK_FOR + LOCK_FOR / 10)
    assert handle_event(deps, event, TOPIC)["blocked"] == 1
    assert deps.store.get_client(alex.id).email_blocked
