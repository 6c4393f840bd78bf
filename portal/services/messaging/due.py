"""Send the messages that are due: claimed, re-read, sent, marked, each exactly once.

A run reads its lane of the sparse due index bucket by bucket, from its cursor (the
earliest hour it left unfinished, less one hour for late index entries) up to now, so
a late or skipped run catches up and the cost grows with what is due, not with the
table. No Scan. For each chunk of due messages it:

1. claims each one with a conditional write (a second run at the same moment loses);
2. re-reads the sessions and clients in one strongly consistent BatchGetItem;
3. asks the lane's ``send`` to decide and send: it returns the provider's id, or raises
   ``Skip`` (moved, cancelled, started, opted out, ...) or ``Defer`` (not yet: quiet hours);
4. marks it sent with that id (or skipped), so it leaves the due index.

A throttled send (SES/SNS ThrottlingException -> ``Throttled``) is retried with backoff
within the run, a few times, then released for the next run. Any other failure is logged
and released, and after a few such failures marked failed, so one bad address cannot
block a lane forever.
"""
from __future__ import annotations

import logging
import time as _time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from portal.domain import delivery
from portal.domain.messages import FAILED, SENT, SKIPPED, PendingMessage
from portal.domain.model import Appointment, Client, PracticeSettings, Therapist
from portal.interfaces import Deps, SendingRead, Throttled

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_CATCH_UP = timedelta(days=3)
LOOKBACK = timedelta(hours=1)  # index entries appear a moment late; re-read one more bucket
CHUNK = 50  # sessions + clients of a chunk fit one BatchGetItem (100 keys)
ATTEMPTS = 3  # sends per message per run when throttled
BACKOFF_SECONDS = 0.5  # then 1.0: short, so the lease (5 min) is never at risk
THROTTLED_STOP = 20  # this many give-ups in a run: the provider is saturated, stop for now
FAILURES_BEFORE_GIVING_UP = 3


class Skip(Exception):
    """Don't send this message: it is marked skipped, the reason logged and ``why`` (one of
    portal.domain.delivery's skip reasons) kept on the record for the session page."""

    def __init__(self, reason: str = "", why: str = delivery.NOT_NEEDED) -> None:
        super().__init__(reason)
        self.why = why


class Defer(Exception):
    """Not yet: the message goes back to the index at ``until``."""

    def __init__(self, until: datetime, reason: str = "") -> None:
        super().__init__(reason)
        self.until = until


@dataclass
class Outgoing:
    """One claimed message with what its sender needs, read strongly consistently."""

    message: PendingMessage
    appointment: Appointment | None
    client: Client | None
    therapist: Therapist | None
    settings: PracticeSettings
    now: datetime

    @property
    def owner(self) -> str:
        return f"{self.message.appointment_id}#{self.message.key}"


Sender = Callable[[Deps, Outgoing], "str | None"]  # returns the provider's message id


@dataclass
class Run:
    deps: Deps
    send: Sender
    sleep: Callable[[float], object] = _time.sleep
    should_stop: Callable[[], bool] | None = None
    summary: dict = field(default_factory=lambda: dict.fromkeys(
        ("sent", "skipped", "deferred", "throttled", "failed", "claimed_elsewhere"), 0))
    unfinished: datetime | None = None  # the earliest due time this run left pending
    settings: PracticeSettings | None = None
    therapists: dict = field(default_factory=dict)
    overtaken: set = field(default_factory=set)  # (appointment id, key) pairs to skip

    def stopping(self) -> bool:
        if self.summary["throttled"] >= THROTTLED_STOP:
            return True
        return bool(self.should_stop and self.should_stop())

    def left(self, message: PendingMessage) -> None:
        if self.unfinished is None or message.due_at < self.unfinished:
            self.unfinished = message.due_at


# --- the run -------------------------------------------------------------------------------
def hours_between(start: datetime, end: datetime) -> Iterator[datetime]:
    cursor = start.replace(minute=0, second=0, microsecond=0)
    while cursor <= end:
        yield cursor
        cursor += timedelta(hours=1)


def send_due(deps: Deps, lane: str, send: Sender, *, sleep: Callable[[float], object] = _time.sleep,
             should_stop: Callable[[], bool] | None = None,
             overtaken: Callable[[list[PendingMessage]], set] | None = None) -> dict:
    """Send the due messages of one lane of the index; returns counts for the run's log.

    ``overtaken(messages)`` may name messages a later one makes pointless (a catch-up)."""
    store, now = deps.store, deps.clock.now()
    run = Run(deps, send, sleep, should_stop)
    since = now - MAX_CATCH_UP
    cursor = store.cursor(lane)
    if cursor:
        since = max(since, cursor - LOOKBACK)
    due = []
    for hour in hours_between(since, now):
        if run.stopping():  # out of time: the next run goes on from this hour
            run.unfinished = min(run.unfinished or hour, hour)
            break
        due += store.messages_due(lane, hour, now)
    run.overtaken = overtaken(due) if overtaken else set()
    for start in range(0, len(due), CHUNK):
        if run.stopping():  # out of time, or the provider is saturated: the next run goes on
            run.left(min(due[start:], key=lambda m: m.due_at))
            break
        process(run, due[start:start + CHUNK])
    restart = min(run.unfinished or now, now).replace(minute=0, second=0, microsecond=0)
    if restart != cursor:  # most runs of an hour leave it where it was: no write then
        store.set_cursor(lane, restart)
    return run.summary


def process(run: Run, messages: list[PendingMessage]) -> None:
    """Claim, re-read and send one chunk of messages (also used for check-ins made on the spot)."""
    deps = run.deps
    store, now = deps.store, deps.clock.now()
    claimed = []
    for message in messages:
        if store.claim_message(message, now, now + LEASE):
            claimed.append(message)
        else:
            run.summary["claimed_elsewhere"] += 1
            run.left(message)
    if not claimed:
        return
    read = _read(run, claimed)
    assert run.settings is not None  # _read loads them
    for message in claimed:
        appointment = read.appointments.get(message.appointment_id)
        client_id = message.detail.get("client") or (appointment.client_id if appointment else "")
        therapist = run.therapists.get(appointment.therapist_id) if appointment else None
        out = Outgoing(message, appointment, read.clients.get(client_id), therapist,
                       run.settings, now)
        _deliver(run, out)


def _read(run: Run, claimed: list[PendingMessage]) -> SendingRead:
    store = run.deps.store
    if run.settings is None:
        run.settings = store.get_settings()
    client_ids = [m.detail["client"] for m in claimed if m.detail.get("client")]
    read = store.read_for_sending([m.appointment_id for m in claimed], client_ids)
    sessions = read.appointments.values()
    missing_clients = {a.client_id for a in sessions} - set(read.clients)
    missing_therapists = {a.therapist_id for a in sessions} - set(run.therapists)
    if missing_clients or missing_therapists:  # older messages, or the run's first therapists
        more = store.read_for_sending((), missing_clients, missing_therapists)
        read.clients.update(more.clients)
        run.therapists.update(more.therapists)
    return read


def _deliver(run: Run, out: Outgoing) -> None:
    store, message = run.deps.store, out.message
    try:
        if (message.appointment_id, message.key) in run.overtaken:
            raise Skip("a later reminder of this session on this channel is due too (catch-up)")
        provider_id = _with_backoff(run, out)
    except Skip as reason:
        log.info("skipping %s for %s: %s", message.key, message.appointment_id, reason)
        store.finish_message(replace(message, detail={**message.detail, "why": reason.why}), SKIPPED)
        run.summary["skipped"] += 1
    except Defer as deferral:
        store.release_message(replace(message, due_at=deferral.until))
        run.summary["deferred"] += 1
    except Throttled:
        store.release_message(message)
        run.summary["throttled"] += 1
        run.left(message)
    except Exception:  # a provider error, a bad address: never let one message stop the run
        log.exception("could not send %s for %s", message.key, message.appointment_id)
        _failed(run, message)
    else:  # as the sender left it (a change notice records what it told)
        store.finish_message(out.message, SENT if provider_id else SKIPPED, provider_id or "")
        run.summary["sent" if provider_id else "skipped"] += 1


def _with_backoff(run: Run, out: Outgoing) -> str | None:
    for attempt in range(ATTEMPTS):
        try:
            return run.send(run.deps, out)
        except Throttled:
            if attempt == ATTEMPTS - 1:
                raise
            run.sleep(BACKOFF_SECONDS * 2 ** attempt)
    return None  # not reached: the last attempt returns or raises


def _failed(run: Run, message: PendingMessage) -> None:
    failures = int(message.detail.get("failures", 0)) + 1
    if failures >= FAILURES_BEFORE_GIVING_UP:
        run.deps.store.finish_message(message, FAILED)
    else:
        run.deps.store.release_message(replace(message, detail={**message.detail, "failures": failures}))
        run.left(message)
    run.summary["failed"] += 1
