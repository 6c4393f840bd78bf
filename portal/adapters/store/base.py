"""The base every part of the store shares: the table and the clock, and reading expiry.

DynamoDB's TTL deletes late, so reads check ``expires_at`` themselves (``live``), and writes
that may take over an expired item say so in their condition (``expired_by_now``).
"""
from __future__ import annotations

from datetime import datetime, timezone

from portal.adapters.tables import Below, Item, Key, Table
from portal.domain.retention import expired
from portal.interfaces import Clock


class StoreBase:
    table: Table
    clock: Clock | None  # for expiry checks; the Container hands over its clock

    def __init__(self, table: Table, clock: Clock | None = None) -> None:
        self.table = table
        self.clock = clock

    def now(self) -> datetime:
        return self.clock.now() if self.clock is not None else datetime.now(timezone.utc)

    def live(self, item: Item | None) -> Item | None:
        """The item, or None once its expires_at has passed."""
        return None if expired(item, self.now()) else item

    def live_items(self, items: list[Item]) -> list[Item]:
        now = self.now()
        return [i for i in items if not expired(i, now)]

    def expired_by_now(self) -> Below:
        """A write condition that holds on an item whose time has passed (as if absent)."""
        return Below("expires_at", int(self.now().timestamp()) + 1)

    def _put_new(self, entries: list[tuple[Key, list[Item]]]) -> set[str]:
        """entries: (key of the main item, its items), for imports in batches. Skips those
        whose main item exists; returns the ids written."""
        unique = dict(reversed(entries))  # a key given twice: its first entry counts
        found = self.table.batch_get(list(unique))
        new = {key: items for key, items in unique.items() if key not in found}
        self.table.put_many([item for items in new.values() for item in items])
        return {items[0]["id"] for items in new.values()}
