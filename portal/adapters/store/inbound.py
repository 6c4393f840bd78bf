"""Inbound-event locks: the in-progress record of an event-driven handler (inbound SMS, SES and
SMS delivery events), marked complete after the work and removed on failure."""
from __future__ import annotations

from datetime import datetime

from portal.adapters.codec import keys
from portal.adapters.codec import records as codec_records
from portal.adapters.store.base import StoreBase
from portal.adapters.tables import AnyOf, Below, ConditionFailed, Equals, NotExists
from portal.domain.timemath import iso_utc
from portal.interfaces import InboundClaim

IN_PROGRESS, COMPLETED = "in_progress", "completed"


class InboundLocks(StoreBase):
    # --- inbound events: the locks of event-driven handlers -----------------------------------
    def begin_inbound(self, source: str, message_id: str, owner: str, now: datetime,
                      lock_until: datetime, expires_at: int) -> InboundClaim:
        """Take the lock on one inbound message (``source``: "sms" or "ses").

        STARTED: it is ours to handle, until ``lock_until``; DONE: handled already;
        BUSY: another run holds it and its lock has not run out (retry later). The lock's
        expiry is checked here, not left to the TTL, which deletes late."""
        item = codec_records.inbound_to_item(source, message_id, IN_PROGRESS, owner, lock_until, expires_at)
        try:
            self.table.put(item, AnyOf((NotExists(), Below("lock_until", iso_utc(now)),
                                        self.expired_by_now())))
            return InboundClaim.STARTED
        except ConditionFailed:
            pass
        current = self.live(self.table.get(*keys.inbound_key(source, message_id), consistent=True))
        if current is None or current.get("lock_until"):  # released or held a moment ago
            return InboundClaim.BUSY
        return InboundClaim.DONE

    def complete_inbound(self, source: str, message_id: str, owner: str, expires_at: int) -> None:
        """Handled: later deliveries of this message do nothing."""
        self.table.put(codec_records.inbound_to_item(source, message_id, COMPLETED, owner, None, expires_at))

    def abandon_inbound(self, source: str, message_id: str, owner: str) -> None:
        """Handling failed: remove our lock so the platform's retry starts afresh."""
        try:
            self.table.delete(*keys.inbound_key(source, message_id), Equals("holder", owner))
        except ConditionFailed:
            pass  # a successor took the lock over: it is theirs now
