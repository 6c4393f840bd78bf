"""SES bounces and complaints stop email to the clients at that address; transient ones do not."""
import json
from dataclasses import replace

from functions import bounces
from portal.domain.model import Channel
from portal.services.bounces import record_ses_event
from tests import builders


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
    event = {"Records": [{"Sns": {"Message": json.dumps(ses_event("Bounce", alex.email))}},
                         {"Sns": {"Message": "not json"}}, {"nothing": 1}]}
    assert bounces.handler(event, None) == {"blocked": 1, "unreadable": 2}
