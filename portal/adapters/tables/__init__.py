"""The one table's primitive operations, twice: ``memory.MemoryTable`` (the fake) and
``dynamo.DynamoTable`` (DynamoDB). Both speak plain dict items and the same few conditions
(here), so the store on top is written once and one contract suite holds the fake to
DynamoDB's answers (tests/integration/test_table_contract.py).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, Union

from portal.domain.errors import DomainError

Item = dict[str, Any]  # one table item, as both tables take and give it
Key = tuple[str, str]  # (pk, sk)

INDEX_KEYS = {
    "by_therapist": ("gsi1pk", "gsi1sk"),
    "by_client": ("gsi2pk", "gsi2sk"),
    "due": ("due_bucket", "due_sk"),
}


# --- conditions: the only ones the application needs -------------------------------------
@dataclass(frozen=True)
class NotExists:
    pass


@dataclass(frozen=True)
class Exists:
    pass


@dataclass(frozen=True)
class Equals:
    attribute: str
    value: Any


@dataclass(frozen=True)
class Below:
    """The attribute exists and is less than value (a lease that has run out)."""

    attribute: str
    value: Any


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


# --- transaction operations --------------------------------------------------------------
@dataclass(frozen=True)
class Put:
    item: Item
    condition: Condition = None


@dataclass(frozen=True)
class Delete:
    pk: str
    sk: str
    condition: Condition = None


@dataclass(frozen=True)
class Check:
    pk: str
    sk: str
    condition: Condition


class ConditionFailed(DomainError):
    """One or more conditions failed; ``failed`` holds the indexes of the operations."""

    def __init__(self, failed: list[int], current: list[Item | None] | None = None):
        self.failed = failed
        self.current = current or []
        super().__init__(f"condition failed at {failed}")


Condition = Union[NotExists, Exists, Equals, Below, AnyOf, None]
Operation = Union[Put, Delete, Check]


class Table(Protocol):
    """What the store asks of a table: both MemoryTable and DynamoTable are one."""

    def get(self, pk: str, sk: str, consistent: bool = False) -> Item | None: ...

    def batch_get(self, keys: Sequence[Key], consistent: bool = False) -> dict[Key, Item]: ...

    def query(self, pk: str, *, index: str | None = None, begins: str | None = None,
              between: tuple[str, str] | None = None, limit: int | None = None,
              reverse: bool = False, consistent: bool = False) -> list[Item]: ...

    def put(self, item: Item, condition: Condition = None) -> None: ...

    def delete(self, pk: str, sk: str, condition: Condition = None) -> None: ...

    def update(self, pk: str, sk: str, fields: Item, condition: Condition = ...) -> None: ...

    def add(self, pk: str, sk: str, attribute: str, amount: int,
            extra: Item | None = None) -> int: ...

    def transact(self, operations: Sequence[Operation]) -> None: ...

    def put_many(self, items: Iterable[Item]) -> None: ...
