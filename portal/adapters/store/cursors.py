"""Run cursors: where each scheduled run (a lane of the due index) left off."""
from __future__ import annotations

from datetime import datetime

from portal.adapters.codec import keys
from portal.adapters.codec import records as codec_records
from portal.adapters.store.base import StoreBase


class RunCursors(StoreBase):
    # --- run cursors: where a scheduled run left off ----------------------------------------
    def cursor(self, lane: str) -> datetime | None:
        """Lanes: "" (reminders), "followup", "checkin", "checkin-plan"."""
        return codec_records.cursor_from_item(self.table.get(*keys.cursor_key(lane)))

    def set_cursor(self, lane: str, at: datetime) -> None:
        self.table.put(codec_records.cursor_to_item(lane, at))
