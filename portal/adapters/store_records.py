"""The store's small records: run cursors, once-only claims, check-in answers, sign-in
counters and the locks of event-driven handlers.

A mixin of ``Store`` (it uses ``self.table``), kept apart so each file stays readable.
Each public method names what it is for; the keys come from ``codec``.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from portal.adapters import codec, codec_checkin, codec_records
from portal.adapters.table import AnyOf, Below, ConditionFailed, Equals, NotExists, Put
from portal.domain.audit import AuditEvent
from portal.domain.checkins import CheckIn
from portal.domain.retention import marker_expiry
from portal.domain.timemath import iso_utc
from portal.interfaces import InboundClaim

IN_PROGRESS, COMPLETED = "in_progress", "completed"


class SmallRecords:
    # --- run cursors: where a scheduled run left off ----------------------------------------
    def cursor(self, lane: str) -> datetime | None:
        """Lanes: "" (reminders), "followup", "checkin", "checkin-plan"."""
        return codec_records.cursor_from_item(self.table.get(*codec_records.cursor_key(lane)))

    def set_cursor(self, lane: str, at: datetime) -> None:
        self.table.put(codec_records.cursor_to_item(lane, at))

    # --- once-only claims: "this happened once" ---------------------------------------------
    def claim_daily_text(self, client_id: str, day: date, owner: str, expires_at: int) -> bool:
        """The client's one reminder text of their local ``day``, held for ``owner``."""
        return self._claim_once(codec.daily_text_key(client_id, day), owner, expires_at)

    def finish_daily_text(self, client_id: str, day: date, owner: str, expires_at: int) -> None:
        self._finish_once(codec.daily_text_key(client_id, day), owner, expires_at)

    def claim_checkin_message(self, appointment_id: str, after: str, owner: str) -> bool:
        """The one check-in of the gap before ``appointment_id`` (``after``: the earlier session)."""
        return self._claim_once(codec.checkin_once_key(appointment_id, after), owner)

    def finish_checkin_message(self, appointment_id: str, after: str, owner: str,
                               expires_at: int) -> None:
        self._finish_once(codec.checkin_once_key(appointment_id, after), owner, expires_at)

    def claim_followup(self, appointment_id: str, owner: str) -> bool:
        """The one "we missed you" of a missed session."""
        return self._claim_once(codec.followup_once_key(appointment_id), owner)

    def finish_followup(self, appointment_id: str, owner: str, expires_at: int) -> None:
        self._finish_once(codec.followup_once_key(appointment_id), owner, expires_at)

    def claim_digest(self, therapist_id: str, day: date, owner: str) -> bool:
        """The therapist's one morning digest of their local ``day``."""
        return self._claim_once(codec.digest_key(therapist_id, day), owner)

    def finish_digest(self, therapist_id: str, day: date, owner: str, expires_at: int) -> None:
        self._finish_once(codec.digest_key(therapist_id, day), owner, expires_at)

    def release_digest(self, therapist_id: str, day: date, owner: str) -> None:
        """The digest did not go out after all: the next run may try again."""
        self._release_once(codec.digest_key(therapist_id, day), owner)

    def _claim_once(self, key, owner: str, expires_at: int | None = None) -> bool:
        """One conditional write. True if the record is ours (new, or already held by the same
        owner and not done), False if someone else holds it or it is done."""
        item = {"pk": key[0], "sk": key[1], "type": "once", "holder": f"{owner}#open",
                "expires_at": expires_at or marker_expiry(self.now())}
        try:  # a record past its expires_at counts as gone (the TTL deletes late)
            self.table.put(item, AnyOf((NotExists(), Equals("holder", f"{owner}#open"),
                                        self.expired_by_now())))
            return True
        except ConditionFailed:
            return False

    def _finish_once(self, key, owner: str, expires_at: int | None = None) -> None:
        """The thing happened: nobody can hold this record again."""
        self.table.put({"pk": key[0], "sk": key[1], "type": "once", "holder": f"{owner}#done",
                        "expires_at": expires_at or marker_expiry(self.now())})

    def _release_once(self, key, owner: str) -> None:
        try:
            self.table.delete(*key, Equals("holder", f"{owner}#open"))
        except ConditionFailed:
            pass  # taken over or done meanwhile: not ours to remove

    # --- check-in answers ---------------------------------------------------------------------
    def record_checkin(self, client_id: str, answer: CheckIn, appointment_id: str,
                       therapist_id: str) -> bool:
        """Store an answer and, when it is the newest, the copy the dashboard reads in batches.
        False if the client already answered in that same second."""
        item = codec_records.checkin_to_item(client_id, answer, appointment_id, therapist_id)
        newer = AnyOf((NotExists(), Below("at", iso_utc(answer.at))))
        try:
            self.table.transact([Put(item, NotExists()),
                                 Put(codec_checkin.latest_to_item(client_id, answer), newer)])
            return True
        except ConditionFailed as failed:
            if failed.failed != [1]:
                return False
        try:  # an older answer arriving late: kept in the history only
            self.table.put(item, NotExists())
            return True
        except ConditionFailed:
            return False

    def latest_checkins(self, client_ids) -> dict[str, CheckIn]:
        """Each client's newest answer, in one BatchGetItem; clients without one are left out.

        Answers recorded before the copy existed are not seen; they age out of the risk
        score within 30 days anyway (risk_score.CHECKIN_DAYS)."""
        return self.availability_with_checkins(None, client_ids)[1]

    def availability_with_checkins(self, therapist_id: str | None, client_ids):
        """A therapist's availability and the clients' newest answers: one BatchGetItem."""
        keys = [codec.latest_checkin_key(c) for c in dict.fromkeys(client_ids)]
        if therapist_id:
            keys.append(codec.availability_key(therapist_id))
        items = self.table.batch_get(keys) if keys else {}
        found = {}
        for client_id in dict.fromkeys(client_ids):
            answer = codec_checkin.latest_from_item(items.get(codec.latest_checkin_key(client_id)))
            if answer is not None:
                found[client_id] = answer
        availability = codec.availability_from_item(items.get(codec.availability_key(therapist_id))) \
            if therapist_id else None
        return availability, found

    # --- a note on a session's history (nothing else changes) --------------------------------
    def add_audit(self, event: AuditEvent) -> None:
        """One PutItem under the session; its id makes two notes in one second both stay."""
        self.table.put(codec.audit_to_item(event, uuid.uuid4().hex[:8]))

    def checkin_answer_for(self, client_id: str, appointment_id: str) -> CheckIn | None:
        """The client's newest answer, if it was given from the check-in link of this session
        (one Query): reopening a check-in already sent shows a thank-you, not a blank form."""
        items = self.table.query(codec.client_partition(client_id), begins=codec.CHECKIN_PREFIX,
                                 reverse=True, limit=1)
        if not items or items[0].get("appointment_id") != appointment_id:
            return None
        return codec_records.checkin_from_item(items[0])

    # --- sign-in throttling -------------------------------------------------------------------
    def count_attempt(self, scope: str, subject: str, window: int, amount: int,
                      expires_at: int) -> int:
        """Atomically add to a sign-in counter (one UpdateItem); returns the new count."""
        pk, sk = codec.throttle_key(scope, subject, window)
        return self.table.add(pk, sk, "failures", amount, {"expires_at": expires_at})

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
        current = self.live(self.table.get(*codec.inbound_key(source, message_id), consistent=True))
        if current is None or current.get("lock_until"):  # released or held a moment ago
            return InboundClaim.BUSY
        return InboundClaim.DONE

    def complete_inbound(self, source: str, message_id: str, owner: str, expires_at: int) -> None:
        """Handled: later deliveries of this message do nothing."""
        self.table.put(codec_records.inbound_to_item(source, message_id, COMPLETED, owner, None, expires_at))

    def abandon_inbound(self, source: str, message_id: str, owner: str) -> None:
        """Handling failed: remove our lock so the platform's retry starts afresh."""
        try:
            self.table.delete(*codec.inbound_key(source, message_id), Equals("holder", owner))
        except ConditionFailed:
            pass  # a successor took the lock over: it is theirs now
