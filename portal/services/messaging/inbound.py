"""Each inbound message handled once, and none lost: the event-driven handlers' idempotency.

Powertools' pattern. Before the work, one conditional write takes a lock on the message
(an in-progress record that expires); after the work the record is marked completed; if
the work fails, the lock is removed and the failure raised, so the platform's retry
starts afresh. A redelivery of a completed message does nothing. One whose lock another
run still holds raises ``InboundBusy``: that run may yet fail, so the platform should
retry later. A run that died without removing its lock (a timeout) leaves it to expire,
and the next delivery takes over.

What can still happen twice: a failure after a reply was sent but before the record was
marked completed sends that reply again on the retry (at most once more per retry). The
actions themselves (STOP, START, confirm, a bounce's block) are idempotent.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any, Callable

from portal.domain.retention import MARKER_DAYS
from portal.interfaces import Deps, InboundClaim

log = logging.getLogger(__name__)

LOCK_FOR = timedelta(seconds=60)  # longer than a handler may run (Zappa's default timeout: 30 s)
# SNS and Lambda redeliver within hours; kept as long as the other one-off markers.
KEEP_FOR = timedelta(days=MARKER_DAYS)


class InboundBusy(RuntimeError):
    """Another run holds this message's lock: retry the event later."""


def handle_once(deps: Deps, source: str, message_id: str, work: Callable[[], Any], *, duplicate: Any = None,
                lock_for: timedelta = LOCK_FOR) -> Any:
    """``work()`` once per ``(source, message_id)``; ``duplicate`` when it was done before.

    A message without an id (the dev panel's shortcut) has nothing to key it by: it is
    simply handled."""
    if not message_id:
        return work()
    now = deps.clock.now()
    owner = uuid.uuid4().hex
    claim = deps.store.begin_inbound(source, message_id, owner, now, now + lock_for, _expiry(now))
    if claim is InboundClaim.DONE:
        log.info("a %s message delivered again: already handled", source)
        return duplicate
    if claim is InboundClaim.BUSY:
        raise InboundBusy(f"another run is handling this {source} message; retry later")
    try:
        result = work()
    except BaseException:
        _abandon(deps, source, message_id, owner)
        raise
    deps.store.complete_inbound(source, message_id, owner, _expiry(now))
    return result


def _abandon(deps: Deps, source: str, message_id: str, owner: str) -> None:
    try:
        deps.store.abandon_inbound(source, message_id, owner)
    except Exception:  # the work's failure is the one to raise; the lock will expire
        log.exception("could not remove the lock of a failed %s message", source)


def _expiry(now: datetime) -> int:
    """When DynamoDB's TTL may delete the record (epoch seconds)."""
    return int((now + KEEP_FOR).timestamp())
