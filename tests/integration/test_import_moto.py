"""The CSV import on DynamoDB (moto in server mode): batched writes, retried unprocessed items,
and a re-import that adds nothing."""
from collections import Counter

import pytest

from portal.adapters.tables.memory import MemoryTable
from portal.services.workspace.importer import CLIENT_REQUIRED, Importer, read_rows
from tests import builders

ROWS = 120
HEADER = "therapist_email,first_name,last_name,email,phone,timezone,channels,sms_consent\n"


def _csv(rows: int) -> bytes:
    return (HEADER + "".join(f"ther01@practice.test,P{n},L{n},p{n}@example.com,,UTC,email,no\n"
                             for n in range(rows))).encode()


def _calls(aws) -> Counter:
    seen = Counter()
    aws.client("dynamodb").meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: seen.update([model.name]))
    return seen


def test_clients_go_in_batches_and_a_reimport_adds_nothing(aws):
    builders.practice(aws.store)
    calls = _calls(aws)
    outcomes = Counter(o for _, o, _ in Importer(aws.deps).import_clients(read_rows(_csv(ROWS), CLIENT_REQUIRED)))
    assert outcomes == {"created": ROWS}
    # Two items a client (the client and its address lookup), 25 items a call.
    assert calls["BatchWriteItem"] == pytest.approx(2 * ROWS / 25, abs=1)
    assert calls["PutItem"] == calls["TransactWriteItems"] == 0
    assert len(aws.store.list_clients("ther01")) == ROWS + 1
    calls.clear()
    again = Counter(o for _, o, _ in Importer(aws.deps).import_clients(read_rows(_csv(ROWS), CLIENT_REQUIRED)))
    assert again == {"existing": ROWS}
    assert calls["BatchWriteItem"] == 0
    assert len(aws.store.list_clients("ther01")) == ROWS + 1


@pytest.mark.parametrize("table_kind", ["memory", "dynamodb"])
def test_put_many_writes_every_item_once_whatever_the_batch_hands_back(aws, table_kind):
    table = MemoryTable() if table_kind == "memory" else aws.store.table
    if table_kind == "dynamodb":
        _hand_back_half_the_first_time(aws)
    items = [{"pk": f"T#{n}", "sk": "X", "n": n} for n in range(60)]
    table.put_many(items + [{"pk": "T#0", "sk": "X", "n": 100}])  # a key twice: the last counts
    found = table.batch_get([(f"T#{n}", "X") for n in range(60)])
    assert len(found) == 60
    assert found[("T#0", "X")]["n"] == 100
    assert found[("T#59", "X")]["n"] == 59


def _hand_back_half_the_first_time(aws):
    """Under load DynamoDB returns part of a batch as UnprocessedItems: the table must retry it.
    The first call sends only half of its items and answers the other half as unprocessed."""
    events = aws.client("dynamodb").meta.events
    held = []

    def send_half(params, **_):
        if not held:
            table, requests = next(iter(params["RequestItems"].items()))
            params["RequestItems"][table] = requests[: len(requests) // 2]
            held.append((table, requests[len(requests) // 2:]))

    def hand_back(parsed, **_):
        if held and held[-1] is not None:
            table, back = held[-1]
            parsed["UnprocessedItems"] = {table: back}
            held.append(None)

    events.register("before-parameter-build.dynamodb.BatchWriteItem", send_half)
    events.register("after-call.dynamodb.BatchWriteItem", hand_back)
