"""The in-memory table: DynamoDB's semantics for what the store uses, for unit tests and
the simulated practice."""
from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Sequence

from portal.adapters.tables import (
    INDEX_KEYS,
    AnyOf,
    Below,
    Condition,
    ConditionFailed,
    Delete,
    Equals,
    Exists,
    Item,
    Key,
    NotExists,
    Operation,
    Put,
)


def _holds(condition: Condition, current: Item | None) -> bool:
    if condition is None:
        return True
    if isinstance(condition, NotExists):
        return current is None
    if isinstance(condition, Exists):
        return current is not None
    if isinstance(condition, Equals):
        return current is not None and current.get(condition.attribute) == condition.value
    if isinstance(condition, Below):
        return current is not None and condition.attribute in current and \
            current[condition.attribute] < condition.value
    if isinstance(condition, AnyOf):
        return any(_holds(c, current) for c in condition.conditions)
    raise TypeError(condition)


class MemoryTable:
    """In-memory fake with DynamoDB's semantics for what the repository uses."""

    def __init__(self) -> None:
        self._items: dict[Key, Item] = {}
        self._lock = threading.Lock()

    def get(self, pk: str, sk: str, consistent: bool = False) -> Item | None:
        item = self._items.get((pk, sk))
        return copy.deepcopy(item)

    def batch_get(self, keys: Sequence[Key], consistent: bool = False) -> dict[Key, Item]:
        return {k: copy.deepcopy(self._items[k]) for k in keys if k in self._items}

    def query(self, pk: str, *, index: str | None = None, begins: str | None = None,
              between: tuple[str, str] | None = None, limit: int | None = None,
              reverse: bool = False, consistent: bool = False) -> list[Item]:
        hash_name, range_name = INDEX_KEYS[index] if index else ("pk", "sk")
        found = [
            item for item in self._items.values()
            if item.get(hash_name) == pk and range_name in item
            and (begins is None or item[range_name].startswith(begins))
            and (between is None or between[0] <= item[range_name] <= between[1])
        ]
        found.sort(key=lambda i: (i[range_name], i["pk"], i["sk"]), reverse=reverse)
        return copy.deepcopy(found[:limit] if limit else found)

    def put(self, item: Item, condition: Condition = None) -> None:
        self.transact([Put(item, condition)])

    def delete(self, pk: str, sk: str, condition: Condition = None) -> None:
        self.transact([Delete(pk, sk, condition)])

    def update(self, pk: str, sk: str, fields: Item, condition: Condition = Exists()) -> None:
        """Set the named attributes (None removes one), leaving the others as they are."""
        with self._lock:
            current = self._items.get((pk, sk))
            if not _holds(condition, current):
                raise ConditionFailed([0])
            item = dict(current or {"pk": pk, "sk": sk})
            for name, value in fields.items():
                if value is None:
                    item.pop(name, None)
                else:
                    item[name] = copy.deepcopy(value)
            self._items[(pk, sk)] = item

    def add(self, pk: str, sk: str, attribute: str, amount: int, extra: Item | None = None) -> int:
        """Atomic counter: add ``amount`` and return the new value (creating the item)."""
        with self._lock:
            item = self._items.setdefault((pk, sk), {"pk": pk, "sk": sk})
            item[attribute] = int(item.get(attribute, 0)) + amount
            for name, value in (extra or {}).items():
                item.setdefault(name, value)
            return item[attribute]

    def transact(self, operations: Sequence[Operation]) -> None:
        if len(operations) > 100:
            raise ValueError("a transaction holds at most 100 operations")
        with self._lock:
            keys = [_key_of(op) for op in operations]
            if len(set(keys)) != len(keys):
                raise ValueError("a transaction may touch each item once")
            current = [self._items.get(k) for k in keys]
            failed = [i for i, op in enumerate(operations) if not _holds(op.condition, current[i])]
            if failed:
                raise ConditionFailed(failed, [copy.deepcopy(c) for c in current])
            for op, key in zip(operations, keys):
                if isinstance(op, Put):
                    # As DynamoDB stores it: an attribute set to None is simply absent.
                    self._items[key] = copy.deepcopy({k: v for k, v in op.item.items() if v is not None})
                elif isinstance(op, Delete):
                    self._items.pop(key, None)

    def put_many(self, items: Iterable[Item]) -> None:
        """Unconditional writes, as BatchWriteItem: each item lands whole; not one transaction."""
        with self._lock:
            for item in items:
                self._items[(item["pk"], item["sk"])] = copy.deepcopy(
                    {k: v for k, v in item.items() if v is not None})

    def __len__(self) -> int:
        return len(self._items)


def _key_of(op: Operation) -> Key:
    if isinstance(op, Put):
        return op.item["pk"], op.item["sk"]
    return op.pk, op.sk
