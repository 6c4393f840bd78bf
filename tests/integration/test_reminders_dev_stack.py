"""The scheduled functions on the seeded dev stack (what `make run` starts): each runs from the dev
panel, sends through the emulator into the outbox, and an SMS reply can be played in."""
from datetime import timedelta

import pytest

from devstack import create_dev_app
from devstack.localstack import Scheduler
from devstack.schedule import all_functions, scheduled_functions
from portal.domain.audit import Actor
from portal.domain.model import Status
from tests.seed_support import seeded_demo
from tests.stack import deployed_container


@pytest.fixture
def dev_stack(moto_endpoint, clock):
    container = deployed_container(moto_endpoint, clock=clock, PORTAL_ENV="dev")
    seeded_demo(container.deps, "demo-password-123")
    return container, create_dev_app(container.config, container=container).test_client()


def test_every_function_is_listed_and_each_runs_from_the_dev_panel(dev_stack):
    container, web = dev_stack
    assert set(all_functions()) >= {"reminders", "followups", "checkins", "digest", "sms_inbound", "bounces"}
    assert set(scheduled_functions()) == {"reminders", "waitlist", "followups", "checkins", "digest"}
    for name in ("reminders", "waitlist", "followups", "checkins", "digest", "sms_inbound"):
        ran = web.post(f"/dev/run/{name}", json={})
        assert ran.status_code == 200, name
        assert "error" not in ran.get_json()["summary"], (name, ran.get_json())
    assert web.post("/dev/run/sms_inbound", json={}).get_json()["summary"] == {"received": 0, "outcomes": []}


def test_an_sms_reply_played_in_from_the_dev_panel_confirms_and_answers_in_the_outbox(dev_stack):
    container, web = dev_stack
    ran = web.post("/dev/run/sms_inbound", json={"originationNumber": "+12025550143", "messageBody": "c"})
    assert ran.get_json()["summary"]["outcomes"] == ["confirmed"]
    [reply] = [m for m in web.get("/dev/outbox.json").get_json() if m["channel"] == "sms"]
    assert reply["to"] == "+12025550143" and reply["text"].startswith("Riverbend Counseling: Thanks Alex")
    assert reply["links"][0].startswith(container.config.base_url + "/a/")
    store, now = container.store, container.clock.now()
    upcoming = [a for a in store.client_appointments("calex01", now, now + timedelta(days=30))]
    assert upcoming[0].status is Status.CONFIRMED and upcoming[0].confirmed_via == "sms"
    # The panel's own form (with its CSRF token) does the same.
    page = web.get("/dev/").get_data(as_text=True)
    assert "Reply by SMS as a client" in page


def test_the_dev_scheduler_fires_each_function_on_its_own_rate(dev_stack):
    container, _ = dev_stack
    scheduler = Scheduler(container, scheduled_functions("dev"))
    container.clock.advance(timedelta(hours=1, minutes=1))
    scheduler.tick()
    assert sorted(name for name, _ in scheduler.runs) == ["checkins", "digest", "followups", "reminders", "waitlist"]
    assert all("error" not in summary for _, summary in scheduler.runs)


def test_a_missed_session_gets_its_followup_through_the_emulator(dev_stack):
    from portal.services.sessions import booking

    container, web = dev_stack
    store = container.store
    now = container.clock.now()
    session = next(a for t in store.list_therapists()
                   for a in store.therapist_appointments(t.id, now, now + timedelta(days=3)))
    container.clock.set(session.end + timedelta(minutes=5))
    ctx = store.load_context(session.id, session.client_id, session.therapist_id)
    booking.mark_attendance(container.deps, ctx, Status.NO_SHOW, ctx.appointment.version, actor=Actor.system("test"))
    container.clock.advance(timedelta(hours=3))
    summary = web.post("/dev/run/followups", json={}).get_json()["summary"]
    assert summary["sent"] == 1
    sent = web.get("/dev/outbox.json").get_json()[0]
    assert "sorry we didn't get to see you" in sent["text"] and sent["subject"] == "We missed you, Alex"
    assert sent["links"] and sent["links"][0].startswith(container.config.base_url + "/a/")


def test_the_dev_panel_plays_a_bounce_and_an_sms_failure_through_the_event_functions(dev_stack):
    container, web = dev_stack
    assert web.post("/dev/delivery-failures", json={}).get_json()["played"] == []  # nothing sent yet
    for _ in range(4):  # a day at a time, so reminders of each kind fall due
        container.clock.advance(timedelta(days=1))
        web.post("/dev/run/reminders", json={})
    played = web.post("/dev/delivery-failures", json={}).get_json()["played"]
    assert len(played) == 2, played
    outbox = web.get("/dev/outbox.json").get_json()
    email = next(m for m in outbox if m["channel"] == "email" and container.store.sent_message(m["id"]))
    text = next(m for m in outbox if m["channel"] == "sms" and container.store.sent_message(m["id"]))
    bounced = container.store.sent_message(email["id"])
    failed = container.store.sent_message(text["id"])
    assert container.store.get_client(bounced.client_id).email_blocked
    assert container.store.get_client(failed.client_id).sms_unreachable
    states = {(m.channel.value, outcome) for m, outcome in
              container.store.history_and_messages(bounced.appointment_id)[1]}
    assert ("email", "bounced") in states


def test_the_dev_scheduler_sends_a_client_change_once_after_its_grace(dev_stack):
    from portal.services.client import changes as client_changes

    container, web = dev_stack
    store, now = container.store, container.clock.now()
    session = next(a for t in store.list_therapists()
                   for a in store.therapist_appointments(t.id, now + timedelta(days=1), now + timedelta(days=14))
                   if a.status is Status.SCHEDULED)
    client = store.get_client(session.client_id)
    ctx = store.load_context(session.id, session.client_id, session.therapist_id)
    client_changes.confirm(container.deps, ctx, session.version)

    def outbox():
        return [m for m in web.get("/dev/outbox.json").get_json() if m["to"] in (client.email, client.phone)]

    assert outbox() == []  # within the grace: nothing yet
    scheduler = Scheduler(container, scheduled_functions("dev"))
    container.clock.advance(timedelta(minutes=6))
    scheduler.tick()
    summary = dict(scheduler.runs)["reminders"]
    assert summary["notices"]["changes"]["sent"] == len(outbox()) >= 1, summary
    assert all(m.get("subject", "").startswith("Confirmed") or "Thanks" in m["text"] for m in outbox())
