"""Send the reminders that are due: claimed, sent, marked, each exactly once."""
from __future__ import annotations

import logging
from datetime import timedelta

from portal.domain.messages import SENT, SKIPPED, due_bucket
from portal.interfaces import Deps, Throttled

log = logging.getLogger(__name__)
CURSOR = ("CURSOR#reminders", "C")
LEASE = timedelta(minutes=5)
MAX_CATCH_UP = timedelta(days=3)


def buckets_between(start, end):
    cursor = start.replace(minute=0, second=0, microsecond=0)
    while cursor <= end:
        yield due_bucket(cursor)
        cursor += timedelta(hours=1)


def send_due_reminders(deps: Deps, compose) -> dict:
    """Query only the due buckets from the last processed one up to now; no Scan.

    ``compose(deps, context, message) -> callable`` builds the send for one message.
    """
    store, now = deps.store, deps.clock.now()
    cursor = store.get_record(*CURSOR)
    since = now - MAX_CATCH_UP
    if cursor and cursor.get("bucket_start"):
        from portal.domain.timemath import parse_utc

        since = max(since, parse_utc(cursor["bucket_start"]))
    summary = {"sent": 0, "skipped": 0, "throttled": 0, "claimed_elsewhere": 0}
    for bucket in buckets_between(since, now):
        for message in store.messages_due(bucket, now):
            _process(deps, compose, message, now, summary)
    # The next run starts at this hour's bucket: anything still pending there is re-read.
    from portal.domain.timemath import iso_utc

    store.put_record({"pk": CURSOR[0], "sk": CURSOR[1], "type": "cursor",
                      "bucket_start": iso_utc(now.replace(minute=0, second=0, microsecond=0))})
    return summary


def _process(deps, compose, message, now, summary):
    store = deps.store
    if not store.claim_message(message, now, now + LEASE):
        summary["claimed_elsewhere"] += 1
        return
    appointment = store.get_appointment(message.appointment_id, consistent=True)
    stale = (appointment is None or not appointment.status.is_open
             or (message.for_start and appointment.start != message.for_start)
             or appointment.start <= now)
    if stale:
        log.info("skipping %s for %s: session moved, closed or started",
                 message.key, message.appointment_id)
        store.finish_message(message, SKIPPED)
        summary["skipped"] += 1
        return
    try:
        provider_id = compose(deps, appointment, message)
    except Throttled:
        store.release_message(message)
        summary["throttled"] += 1
        return
    if provider_id is None:
        store.finish_message(message, SKIPPED)
        summary["skipped"] += 1
        return
    store.finish_message(message, SENT, provider_id)
    summary["sent"] += 1
