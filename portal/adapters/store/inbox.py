"""The therapist's inbox: what clients told their therapist, newest first."""
from __future__ import annotations

from dataclasses import replace

from portal.adapters.codec import keys, sessions
from portal.adapters.store.base import StoreBase
from portal.adapters.tables import ConditionFailed, Exists, NotExists
from portal.domain.errors import NotFound
from portal.domain.model import InboxItem
from portal.interfaces import StoreRecord


class InboxRecords(StoreBase):
    # --- therapist inbox ----------------------------------------------------------------
    @staticmethod
    def inbox_record(item: InboxItem) -> StoreRecord:
        """The record for an inbox item: pass it as ``extra`` to write it with a change."""
        return StoreRecord(sessions.inbox_to_item(item))

    def add_inbox(self, item: InboxItem) -> None:
        self.table.put(sessions.inbox_to_item(item), NotExists())

    def inbox(self, therapist_id: str, limit: int = 100) -> list[InboxItem]:
        """Newest first."""
        items = self.table.query(keys.therapist_partition(therapist_id), begins=keys.INBOX_PREFIX,
                                 reverse=True, limit=limit)
        return [sessions.inbox_from_item(i) for i in items]

    def mark_inbox_handled(self, item: InboxItem) -> None:
        try:
            self.table.put(sessions.inbox_to_item(replace(item, handled=True)), Exists())
        except ConditionFailed:
            raise NotFound("That message is no longer there.") from None
