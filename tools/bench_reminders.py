"""The reminders function: 1,000 messages due among 1,000 stored appointments, and among 100,000.

Both tables live in moto (server mode) and are filled the same way: every appointment has
its item and a pending reminder in the due index (due now for 1,000 of them, in the coming
two weeks for the rest), and a cursor as a run five minutes earlier would have left it.
Then the reminders function runs once, through its Lambda handler, sending by email (SES
on moto, the .ics attached). A ``before-call.dynamodb`` hook on the function's own client
counts every DynamoDB call; the goal is the same count in both (within a few), no Scan.

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
SIZES = (1_000, 100_000)
NOW = datetime(2026, 3, 2, 14, 30, tzinfo=timezone.utc)
ACCOUNT, REGION = "123456789012", "us-east-1"


def _container(endpoint: str):
    from tools.emulated_stack import deployed_container

    return deployed_container(endpoint, f"attune-bench-{uuid.uuid4().hex[:8]}", NOW, verify_sender=True)


def _items(stored: int):
    """Plain items for a practice with ``stored`` appointments, DUE of them with a reminder due."""
    from portal.adapters import codec, codec_records, codec_settings
    from portal.domain.messages import CHANGE_NOTICE, FRESH_LINK, PendingMessage
    from portal.domain.model import Appointment, Channel, Client, Mode, PracticeSettings, Therapist

    yield codec_settings.settings_to_item(PracticeSettings(display_name="Riverbend Counseling", version=1))
    therapist = Therapist("bench01", "Maya Chen", "maya@riverbend.example", "America/New_York")
    yield codec.therapist_to_item(therapist)
    clients = [Client(f"c{n:05d}", therapist.id, f"Client{n}", "Bench", f"client{n}@example.com",
                      "", "America/New_York", (Channel.EMAIL,)) for n in range(DUE)]
    yield from (codec.client_to_item(c) for c in clients)
    # Where a run five minutes earlier left each lane this function reads (without a cursor a
    # lane reads three days of hourly buckets once: a first run's cost, not a steady one's).
    for lane in ("", FRESH_LINK, CHANGE_NOTICE):
        yield codec_records.cursor_to_item(lane, NOW.replace(minute=0))
    for n in range(stored):
        due_now = n < DUE
        start = NOW + (timedelta(hours=24) if due_now else timedelta(hours=30, minutes=n % 20_000))
        client = clients[n % DUE]
        appointment = Appointment(f"a{n:06d}", therapist.id, client.id, start,
                                  start + timedelta(minutes=50), Mode.TELE)
        due = NOW - timedelta(minutes=n % 25) if due_now else start - timedelta(hours=24)
        message = PendingMessage(appointment.id, "r24", Channel.EMAIL, due, for_start=start,
                                 detail={"client": client.id})
        yield codec.appointment_to_item(appointment, [message.key])
        yield codec.message_to_item(message)


def _load(table_name: str, stored: int) -> int:
    """Write straight into moto's table in this process: the same items the API would store,
    placed as moto's own ``put_item`` places them, without its per-item validation."""
    from boto3.dynamodb.types import TypeSerializer
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

    table = dynamodb_backends[ACCOUNT][REGION].get_table(table_name)
    serialize, count = TypeSerializer().serialize, 0
    for item in _items(stored):
        attrs = {k: DynamoType(serialize(v)) for k, v in item.items() if v is not None}
        stored_item = Item(attrs["pk"], attrs["sk"], {})
        stored_item.attrs = LimitedSizeDict(attrs)  # (moto re-sizes the item on every attribute set)
        table.items[attrs["pk"]][attrs["sk"]] = stored_item
        count += 1
    return count


def scenario(endpoint: str, stored: int) -> dict:
    from functions import reminders
    from portal.wiring import set_default_container

    container = _container(endpoint)
    items = _load(container.config.table_name, stored)
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
    return {"stored": stored, "items": items, "summary": summary, "calls": calls, "seconds": seconds}


def _line(result) -> str:
    calls = result["calls"]
    detail = ", ".join(f"{name} {count}" for name, count in sorted(calls.items()))
    summary = result["summary"]
    stopped = {k: v for k, v in summary.items() if k in ("throttled", "failed", "error") and v}
    return (f"reminders: {summary.get('sent', 0):,} sent of {DUE:,} due among "
            f"{result['stored']:,} appointments ({result['items']:,} items): "
            f"{sum(calls.values()):,} DynamoDB calls, {calls['Scan']} Scans, "
            f"{result['seconds']:.1f} s [{detail}]" + (f" stopped: {stopped}" if stopped else ""))


def run() -> list[str]:
    from tools.emulated_stack import emulator

    with emulator() as endpoint:
        results = [scenario(endpoint, stored) for stored in SIZES]
    small, large = (sum(r["calls"].values()) for r in results)
    lines = [_line(r) for r in results]
    lines.append(f"reminders: calls {small:,} vs {large:,} (difference {abs(large - small)}, goal: within "
                 f"a few; {small / DUE:.2f} per message); time {results[1]['seconds'] / results[0]['seconds']:.2f}x "
                 f"(moto filters indexes over the whole table; DynamoDB reads only the due buckets)")
    return lines


if __name__ == "__main__":
    for output in run():
        print(output)
