"""The simulator's tables: the in-memory table with an index, and a counter of table calls.

MemoryTable answers a Query by looking at every item, which is fine for a test and too
slow for a quarter of a practice. ``IndexedMemoryTable`` keeps, for each key the table
is queried by, the items holding it; its answers are MemoryTable's own (same filter,
same order: tests/unit/test_sim_table.py holds it to that).

``CallCounter`` counts the DynamoDB API calls the same logical operations make, so a run
on the in-memory table and a run on DynamoDB can be compared: a BatchWriteItem takes 25
items, a BatchGetItem 100 keys, a transaction writes 2 units per item.
"""
from __future__ import annotations

import math
from collections import Counter
from contextlib import contextmanager

from portal.adapters.tables import INDEX_KEYS
from portal.adapters.tables.memory import MemoryTable

HASH_NAMES = ("pk",) + tuple(h for h, _ in INDEX_KEYS.values())


class _IndexedItems(dict):
    """The table's items, with hash key -> item keys kept in step with every write."""

    def __init__(self):
        super().__init__()
        self.by_hash = {name: {} for name in HASH_NAMES}

    def _index(self, key, item, add: bool):
        for name in HASH_NAMES:
            value = item.get(name)
            if value is None:
                continue
            keys = self.by_hash[name].setdefault(value, set())
            (keys.add if add else keys.discard)(key)

    def __setitem__(self, key, item):
        if key in self:
            self._index(key, dict.__getitem__(self, key), False)
        dict.__setitem__(self, key, item)
        self._index(key, item, True)

    def __delitem__(self, key):
        self._index(key, dict.__getitem__(self, key), False)
        dict.__delitem__(self, key)

    def pop(self, key, *default):
        if key in self:
            self._index(key, dict.__getitem__(self, key), False)
        return dict.pop(self, key, *default)

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return dict.__getitem__(self, key)


_NESTED = (dict, list, set, frozenset)


def _copy(value):
    """deepcopy for what items hold (dicts, lists, sets of plain values), several times faster."""
    if isinstance(value, dict):
        return {k: (_copy(v) if v.__class__ in _NESTED else v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return type(value)(value)
    return value


class IndexedMemoryTable(MemoryTable):
    def __init__(self):
        super().__init__()
        self._items = _IndexedItems()

    def get(self, pk, sk, consistent=False):
        item = self._items.get((pk, sk))
        return _copy(item) if item is not None else None

    def batch_get(self, keys, consistent=False):
        return {k: _copy(dict.__getitem__(self._items, k)) for k in keys if k in self._items}

    def query(self, pk, *, index=None, begins=None, between=None, limit=None, reverse=False,
              consistent=False):
        hash_name, range_name = INDEX_KEYS[index] if index else ("pk", "sk")
        keys = self._items.by_hash[hash_name].get(pk, ())
        found = [item for item in (dict.__getitem__(self._items, k) for k in keys)
                 if item.get(hash_name) == pk and range_name in item
                 and (begins is None or item[range_name].startswith(begins))
                 and (between is None or between[0] <= item[range_name] <= between[1])]
        found.sort(key=lambda i: (i[range_name], i["pk"], i["sk"]), reverse=reverse)
        return [_copy(item) for item in (found[:limit] if limit else found)]


READS = {"get": "GetItem", "batch_get": "BatchGetItem", "query": "Query"}
WRITES = {"put": "PutItem", "delete": "DeleteItem", "update": "UpdateItem", "add": "UpdateItem",
          "transact": "TransactWriteItems", "put_many": "BatchWriteItem"}


class _Counting:
    """What both counters share: the total, and a pause for the simulator's own look-ups."""

    calls: Counter
    counting: bool

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    @contextmanager
    def paused(self):
        self.counting = False
        try:
            yield
        finally:
            self.counting = True


class CallCounter(_Counting):
    """Wraps a table's methods: counts the API calls and request units of what the product does.

    ``paused()`` leaves the simulator's own look-ups out of the count."""

    def __init__(self, table):
        self.calls: Counter = Counter()
        self.read_units = 0
        self.write_units = 0
        self.counting = True
        self._depth = 0  # MemoryTable.put calls its own transact: only the outer call is one
        for method in (*READS, *WRITES):
            setattr(table, method, self._wrap(method, getattr(table, method)))

    def _wrap(self, method, inner):
        def counted(*args, **kwargs):
            if self.counting and not self._depth:
                self._count(method, args, kwargs)
            self._depth += 1
            try:
                return inner(*args, **kwargs)
            finally:
                self._depth -= 1
        return counted

    def _count(self, method, args, kwargs):
        if method == "batch_get":
            keys = list(args[0]) if args else list(kwargs.get("keys", ()))
            calls = max(1, math.ceil(len(keys) / 100))
            self.read_units += len(keys)
        elif method == "put_many":
            items = list(args[0]) if args else list(kwargs.get("items", ()))
            calls = math.ceil(len(items) / 25) if items else 0
            self.write_units += len(items)
        elif method == "transact":
            operations = args[0] if args else kwargs.get("operations", ())
            calls = 1
            self.write_units += 2 * len(operations)
        else:
            calls = 1
            if method in READS:
                self.read_units += 1
            else:
                self.write_units += 1
        name = READS.get(method) or WRITES[method]
        self.calls[name] += calls



class BotocoreCounter(_Counting):
    """DynamoDB: every API call the app's client makes, counted at botocore (as
    tools/bench_client_calls.py does); ``paused()`` as above."""

    def __init__(self, dynamodb_client):
        self.calls: Counter = Counter()
        self.counting = True
        dynamodb_client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model, **_kwargs):
        if self.counting:
            self.calls[model.name] += 1

