"""The reminders run on DynamoDB (moto in server mode): two runs at once, throttling, no Scan."""
import json
import random
import threading
import urllib.request
from collections import Counter
from datetime import datetime, timedelta, timezone

from portal.adapters.aws.senders import FakeNotifier
from portal.domain.audit import Actor
from portal.domain.messages import SENT
from portal.domain.model import Channel, Mode, PracticeSettings
from portal.interfaces import Deps
from portal.services.messaging.reminders import send_due_reminders
from portal.services.sessions import booking
from tests import builders

SETTINGS = PracticeSettings(display_name="Riverbend Counseling", contact_phone="+1 202-555-0100",
                            nudge_hours=0)
START = datetime(2026, 3, 4, 14, 0, tzinfo=timezone.utc)  # Wednesday 09:00 in New York


def practice_with_sessions(aws, count):
    store = aws.store
    store.save_settings(SETTINGS)
    therapist = builders.therapist()
    store.add_therapist(therapist, builders.weekday_availability())
    sessions = []
    for n in range(count):
        client = builders.client(cid=f"cli{n:03d}", email=f"client{n}@example.com",
                                 phone=f"+1202555{n:04d}", channels=(Channel.EMAIL, Channel.SMS))
        store.add_client(client)
        sessions.append(booking.record_booking(
            aws.deps, therapist, client, START + timedelta(hours=n), Mode.TELE, actor=Actor.system("test")))
    return sessions


def moto_state(aws):
    return json.load(urllib.request.urlopen(f"{aws.config.endpoint_url}/moto-api/data.json", timeout=120))


def count_calls(aws):
    calls = Counter()
    aws.client("dynamodb").meta.events.register(
        "before-call.dynamodb", lambda model, **kw: calls.update([model.name]))
    return calls


def test_two_runs_started_at_the_same_moment_send_each_message_once(aws, clock):
    sessions = practice_with_sessions(aws, 8)
    clock.set(START + timedelta(hours=8) - timedelta(hours=24))  # every 24 h email and text is due
    calls = count_calls(aws)
    gate, summaries, errors = threading.Barrier(2), [], []

    def run():
        gate.wait()
        try:
            summaries.append(send_due_reminders(aws.deps, sleep=lambda s: None))
        except Exception as problem:  # noqa: BLE001 - any error is a failure of the test
            errors.append(problem)

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join(120) for t in threads]
    assert errors == []
    assert sum(s["sent"] for s in summaries) == 16
    provider_ids = []
    for appointment in sessions:
        for message in aws.store.messages_of(appointment.id):
            if message.kind == "r24":
                assert message.status == SENT
                provider_ids.append(message.provider_id)
    assert len(set(provider_ids)) == 16
    state = moto_state(aws)
    emailed = [m for m in state["ses"]["RawMessage"] if m["id"] in provider_ids]
    texted = [m for m in state["sns"]["SMS"] if m["message_id"] in provider_ids]
    assert len(emailed) == 8 and len(texted) == 8  # the emulator got each exactly once
    assert calls["Scan"] == 0


def test_with_30_percent_of_sends_throttled_each_message_goes_out_once_over_a_few_runs(aws, clock):
    sessions = practice_with_sessions(aws, 6)
    notifier = FakeNotifier()
    deps = Deps(store=aws.store, notifier=notifier, clock=clock, links=aws.links)
    clock.set(START + timedelta(hours=6) - timedelta(hours=24))
    notifier.throttle = lambda channel: True  # a first run that gets nothing out releases all
    assert send_due_reminders(deps, sleep=lambda s: None)["throttled"] == 12
    dice, throttled = random.Random(5), Counter()

    def sometimes(channel):
        hit = dice.random() < 0.3
        throttled[hit] += 1
        return hit

    notifier.throttle = sometimes
    for _ in range(4):
        clock.advance(timedelta(minutes=5))
        send_due_reminders(deps, sleep=lambda s: None)
    assert Counter((c, to) for c, to, _ in notifier.sent) == Counter(
        {**{("email", f"client{n}@example.com"): 1 for n in range(6)},
         **{("sms", f"+1202555{n:04d}"): 1 for n in range(6)}})
    assert throttled[True] > 0  # the 30% did throttle some sends, retried within the runs
    assert all(m.status == SENT for a in sessions for m in aws.store.messages_of(a.id) if m.kind == "r24")


def test_calls_per_message_are_few_and_the_sessions_are_re_read_consistently(aws, clock):
    practice_with_sessions(aws, 10)
    clock.set(START - timedelta(hours=30))
    send_due_reminders(aws.deps)  # an earlier run left its cursor
    clock.set(START + timedelta(hours=10) - timedelta(hours=24))  # 10 emails and 10 texts due
    calls, reads = count_calls(aws), []
    aws.client("dynamodb").meta.events.register(
        "provide-client-params.dynamodb.BatchGetItem",
        lambda params, **kw: reads.append(params["RequestItems"]))
    assert send_due_reminders(aws.deps)["sent"] == 20
    assert calls["Scan"] == 0
    assert reads and all(request["ConsistentRead"] for r in reads for request in r.values())
    # Per message: the claim (a PutItem) and the mark (one TransactWriteItems: the message and
    # its provider-id lookup for delivery events); per text, the once-a-day record (2 PutItems).
    # Plus one batch read and the run's cursor.
    assert calls["PutItem"] == 20 + 10 * 2 + 1 and calls["TransactWriteItems"] == 20
    assert calls["BatchGetItem"] <= 2 and calls["GetItem"] <= 2
    clock.advance(timedelta(minutes=5))
    calls.clear()
    assert send_due_reminders(aws.deps)["sent"] == 0  # nothing new: the cursor and two buckets
    assert sum(calls.values()) <= 5 and calls["Scan"] == 0


def test_an_idle_scheduled_run_reads_a_few_buckets_and_writes_nothing(aws, clock):
    """The reminders function runs every 5 minutes and reads three lanes (reminders, fresh
    links, change notices). Idle, each costs its cursor and two buckets; the cursors are
    written only when the hour turns."""
    from functions import reminders
    from portal.wiring import set_default_container

    practice_with_sessions(aws, 3)
    clock.set(START - timedelta(hours=30, minutes=55))
    set_default_container(aws)
    try:
        reminders.handler({"detail-type": "Scheduled Event"}, None)  # a first run sets the cursors
        clock.advance(timedelta(minutes=5))
        calls = count_calls(aws)
        summary = reminders.handler({"detail-type": "Scheduled Event"}, None)
    finally:
        set_default_container(None)
    assert summary["sent"] == 0
    assert calls == Counter({"GetItem": 3, "Query": 6})  # no write at all
