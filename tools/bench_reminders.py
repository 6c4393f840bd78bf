"""The reminders function: 1,000 messages due among 1,000 stored appointments, and 5 among 100,000.

Both tables live in moto (server mode) and are filled the same way: every appointment has
its item and a pending reminder in the due index (due now for 1,000 of them, in the coming
two weeks for the rest), and a cursor as a run five minutes earlier would have left it.
Then the reminders function runs once, through its Lambda handler, sending by email (SES
on moto, the .ics attached). A ``before-call.dynamodb`` hook on the function's own client
counts every DynamoDB call; the goal is the same reads of the index in both (the due buckets
only, whatever the table's size), the same writes per message, and no Scan. Only 5 are due in
the large table because moto copies the whole table for every transaction (about 25 s each at
100,000 appointments): a moto cost, not DynamoDB's, so that run gets a 60 s read timeout.

Loading 100,000 appointments through the API would take moto many minutes, so the items
(made by the same codec the app uses) are written straight into moto's in-process table.
Times are moto's: it filters an index in Python over the whole table, so its query time
grows with the table where DynamoDB's does not; the call counts are the figure that matters.
"""
from __future__ import annotations

import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone

DUE = 1_000
SCENARIOS = ((1_000, DUE), (100_000, 5))  # (appointments stored, reminders due among them)
NOW = datetime(2026, 3, 2, 14, 30, tzinfo=timezone.utc)
ACCOUNT, REGION = "123456789012", "us-east-1"


def _container(endpoint: str, stored: int):
    from tools.emulated_stack import deployed_container

    slow = {"AWS_READ_TIMEOUT": "60"} if stored > 10_000 else {}
    return deployed_container(endpoint, f"attune-bench-{uuid.uuid4().hex[:8]}", NOW, verify_sender=True,
                              **slow)


def _items(stored: int, due_count: int):
    """Plain items for a practice with ``stored`` appointments, ``due_count`` with a reminder due."""
    from portal.adapters.codec import people, sessions
    from portal.adapters.codec import records as codec_records
    from portal.adapters.codec import settings as codec_settings
    from portal.domain.messages import CHANGE_NOTICE, FRESH_LINK, PendingMessage
    from portal.domain.model import Appointment, Channel, Client, Mode, PracticeSettings, Therapist

    yield codec_settings.settings_to_item(PracticeSettings(display_name="Riverbend Counseling", version=1))
    therapist = Therapist("bench01", "Maya Chen", "maya@riverbend.example", "America/New_York")
    yield people.therapist_to_item(therapist)
    clients = [Client(f"c{n:05d}", therapist.id, f"Client{n}", "Bench", f"client{n}@example.com",
                      "", "America/New_York", (Channel.EMAIL,)) for n in range(due_count)]
    yield from (people.client_to_item(c) for c in clients)
    # Where a run five minutes earlier left each lane this function reads (without a cursor a
    # lane reads three days of hourly buckets once: a first run's cost, not a steady one's).
    for lane in ("", FRESH_LINK, CHANGE_NOTICE):
        yield codec_records.cursor_to_item(lane, NOW.replace(minute=0))
    for n in range(stored):
        due_now = n < due_count
        start = NOW + (timedelta(hours=24) if due_now else timedelta(hours=30, minutes=n % 20_000))
        client = clients[n % due_count]
        appointment = Appointment(f"a{n:06d}", therapist.id, client.id, start,
                                  start + timedelta(minutes=50), Mode.TELE)
        due = NOW - timedelta(minutes=n % 25) if due_now else start - timedelta(hours=24)
        message = PendingMessage(appointment.id, "r24", Channel.EMAIL, due, for_start=start,
                                 detail={"client": client.id})
        yield sessions.appointment_to_item(appointment, [message.key])
        yield sessions.message_to_item(message)


def _load(table_name: str, stored: int, due_count: int) -> int:
    """Write straight into moto's table in this process: the same items the API would store,
    placed as moto's own ``put_item`` places them, without its per-item validation."""
    from boto3.dynamodb.types import TypeSerializer
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

    table = dynamodb_backends[ACCOUNT][REGION].get_table(table_name)
    serialize, count = TypeSerializer().serialize, 0
    for item in _items(stored, due_count):
        attrs = {k: DynamoType(serialize(v)) for k, v in item.items() if v is not None}
        stored_item = Item(attrs["pk"], attrs["sk"], {})
        stored_item.attrs = LimitedSizeDict(attrs)  # (moto re-sizes the item on every attribute set)
        table.items[attrs["pk"]][attrs["sk"]] = stored_item
        count += 1
    return count


def scenario(endpoint: str, stored: int, due_count: int) -> dict:
    from functions import reminders
    from portal.wiring import set_default_container

    container = _container(endpoint, stored)
    items = _load(container.config.table_name, stored, due_count)
    calls = Counter()
    container.client("dynamodb").meta.events.register(
        "before-call.dynamodb", lambda model, **kw: calls.update([model.name]))
    set_default_container(container)
    try:
        started = time.perf_counter()
        summary = reminders.handler({"detail-type": "Scheduled Event"}, None)
        seconds = time.perf_counter() - started
    finally:
        set_default_container(None)
    return {"stored": stored, "due": due_count, "items": items, "summary": summary, "calls": calls,
            "seconds": seconds}


def _line(result) -> str:
    calls = result["calls"]
    detail = ", ".join(f"{name} {count}" for name, count in sorted(calls.items()))
    summary = result["summary"]
    stopped = {k: v for k, v in summary.items() if k in ("throttled", "failed", "error") and v}
    return (f"reminders: {summary.get('sent', 0):,} sent of {result['due']:,} due among "
            f"{result['stored']:,} appointments ({result['items']:,} items): "
            f"{sum(calls.values()):,} DynamoDB calls, {calls['Scan']} Scans, "
            f"{result['seconds']:.1f} s [{detail}]" + (f" stopped: {stopped}" if stopped else ""))


WRITES_PER_MESSAGE = ("PutItem", "TransactWriteItems")  # the claim, the mark (with its lookup)
READS_OF_THE_INDEX = ("Query", "GetItem")  # the due buckets, and the lanes' cursors


def run() -> list[str]:
    from tools.emulated_stack import emulator

    with emulator() as endpoint:
        results = [scenario(endpoint, stored, due) for stored, due in SCENARIOS]
    lines = [_line(r) for r in results]
    reads = [sum(r["calls"][op] for op in READS_OF_THE_INDEX) for r in results]
    per_message = [sum(r["calls"][op] for op in WRITES_PER_MESSAGE) / max(1, r["summary"].get("sent", 0))
                   for r in results]
    per_second = [r["seconds"] / max(1, r["summary"].get("sent", 0)) for r in results]
    small = results[0]
    lines.append(
        f"reminders: reads of the index {reads[0]} vs {reads[1]} among {SCENARIOS[0][0]:,} and "
        f"{SCENARIOS[1][0]:,} appointments (goal: equal); writes per message {per_message[0]:.2f} vs "
        f"{per_message[1]:.2f} (goal: equal); {sum(small['calls'].values()) / small['due']:.2f} calls per "
        f"message in all; time per message {per_second[1] / per_second[0]:.0f}x (moto filters indexes "
        f"and copies the table for each transaction; DynamoDB does neither)")
    return lines


if __name__ == "__main__":
    for output in run():
        print(output)
