"""The demo practice (devstack/seed.py), seeded once and copied.

Seeding through the services takes half a minute on moto. The first test that asks for the demo
at a given moment (the fixed clock's time), password and history seeds its own table for real;
the items it ends up with are kept, and later tests asking for the same get them written into
their own fresh table. Each test still owns its copy, so tests that write stay apart.

The seed sends nothing (its check-ins go through a quiet notifier) and stores no address of
the app, so the copy is the same for the dev and the test containers and on any port."""
import copy

from devstack.seed import seed_demo
from portal.clock import FixedClock

_kept: dict[tuple, tuple[str, list, dict]] = {}  # (moment, password, history) -> (kind, items, summary)
_raw_clients: dict[str, object] = {}


def seeded_demo(deps, password: str, history: bool = True) -> dict:
    """seed_demo(deps, password, history) on this test's empty table, copied when it can be."""
    table = deps.store.table
    kind = "memory" if hasattr(table, "_items") else "dynamodb"
    if not isinstance(deps.clock, FixedClock) or not _empty(table, kind):
        return seed_demo(deps, password, history)  # nothing to reuse: the seed depends on now
    key = (kind, deps.clock.now(), password, history)
    if key in _kept:
        _, items, summary = _kept[key]
        _write(table, kind, items)
        return copy.deepcopy(summary)
    summary = seed_demo(deps, password, history)
    _kept[key] = (kind, _read(table, kind), copy.deepcopy(summary))
    return summary


def _raw(table):
    """A client of our own for the copy, so a test's call counters on its container see none of it."""
    endpoint = table.client.meta.endpoint_url
    if endpoint not in _raw_clients:
        import boto3

        _raw_clients[endpoint] = boto3.client("dynamodb", endpoint_url=endpoint,
                                              region_name=table.client.meta.region_name)
    return _raw_clients[endpoint]


def _empty(table, kind) -> bool:
    if kind == "memory":
        return len(table) == 0
    return not _raw(table).scan(TableName=table.name, Limit=1, ConsistentRead=True)["Items"]


def _read(table, kind) -> list:
    if kind == "memory":
        return copy.deepcopy(list(table._items.values()))  # noqa: SLF001 - the fake's own items
    items, page = [], {}
    while True:  # items as DynamoDB holds them, written back unchanged
        answer = _raw(table).scan(TableName=table.name, ConsistentRead=True, **page)
        items.extend(answer["Items"])
        if "LastEvaluatedKey" not in answer:
            return items
        page = {"ExclusiveStartKey": answer["LastEvaluatedKey"]}


def _write(table, kind, items) -> None:
    if kind == "memory":
        table.put_many(items)  # put_many copies each item
        return
    client = _raw(table)
    for start in range(0, len(items), 25):  # BatchWriteItem's limit per request
        pending = {table.name: [{"PutRequest": {"Item": item}} for item in items[start:start + 25]]}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
