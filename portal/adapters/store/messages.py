"""The store's side for messages: the due index, claims, and the re-read before sending.

A part of ``Store`` (on ``StoreBase``: the table and the clock), kept apart so each file stays readable.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from portal.adapters.codec import delivery as codec_delivery
from portal.adapters.codec import keys, people, sessions
from portal.adapters.codec import notices as codec_notices
from portal.adapters.store.base import StoreBase
from portal.adapters.tables import AnyOf, Below, Condition, ConditionFailed, Equals, Exists, NotExists, Put
from portal.domain.messages import CLAIMED, PENDING, SENT, PendingMessage
from portal.domain.timemath import iso_utc
from portal.interfaces import SendingRead, StoreRecord


class MessageRecords(StoreBase):
    # --- pending messages -------------------------------------------------------------------
    def messages_due(self, lane: str, hour: datetime, upto: datetime) -> list[PendingMessage]:
        """The lane's messages in the due index's bucket of ``hour``, due by ``upto``."""
        items = self.table.query(keys.due_bucket(hour, lane), index="due",
                                 between=("0", iso_utc(upto) + "~"))
        return [sessions.message_from_item(i) for i in items]

    def claim_message(self, message: PendingMessage, now: datetime, lease_until: datetime) -> bool:
        """Take a message for sending: pending, or claimed by a run whose lease ran out."""
        from dataclasses import replace

        claimed = replace(message, status=CLAIMED, claimed_until=lease_until)
        condition: Condition = AnyOf((Equals("status", PENDING),
                           Below("claimed_until", iso_utc(now))))
        if codec_notices.revision_of(message) is not None:  # rewritten in place: as read, or not at all
            if message.status == CLAIMED and message.claimed_until and message.claimed_until >= now:
                return False
            condition = Equals("tag", codec_notices.state_tag(message))
        try:
            self.table.put(sessions.message_to_item(claimed), condition)
            return True
        except ConditionFailed:
            return False

    def finish_message(self, message: PendingMessage, status: str, provider_id: str = "") -> bool:
        """Mark a claimed message sent (or skipped); it leaves the due index. A sent one is
        written with its provider-id lookup in one transaction (one call, two writes).

        False when the message is gone: a change to its session deleted it meanwhile."""
        from dataclasses import replace

        done = replace(message, status=status, provider_id=provider_id, claimed_until=None)
        item = sessions.message_to_item(done)
        try:
            if status == SENT and provider_id:  # findable by the provider's delivery events
                self.table.transact([Put(codec_delivery.with_sent_outcome(item), _unchanged(message)),
                                     Put(codec_delivery.sent_lookup_item(done, provider_id))])
            else:
                self.table.put(item, _unchanged(message))
            return True
        except ConditionFailed:
            return False

    def release_message(self, message: PendingMessage) -> bool:
        """Give a claimed message back (a throttled send): the next run picks it up.
        A changed ``due_at`` moves it in the due index (a deferred follow-up)."""
        from dataclasses import replace

        try:
            self.table.put(sessions.message_to_item(replace(message, status=PENDING, claimed_until=None)),
                           _unchanged(message))
            return True
        except ConditionFailed:
            return False

    def read_for_sending(self, appointment_ids: Iterable[str] = (), client_ids: Iterable[str] = (),
                         therapist_ids: Iterable[str] = (), consistent: bool = True) -> SendingRead:
        """Sessions (with their message keys), clients and therapists in one BatchGetItem
        (per 100 keys), strongly consistent by default: what a sending run re-reads."""
        wanted = [keys.appointment_key(i) for i in dict.fromkeys(appointment_ids)]
        wanted += [keys.client_key(i) for i in dict.fromkeys(client_ids)]
        wanted += [keys.therapist_key(i) for i in dict.fromkeys(therapist_ids)]
        found = self.table.batch_get(wanted, consistent=consistent) if wanted else {}
        out = SendingRead({}, {}, {})
        for item in found.values():
            if sessions.is_type(item, "appointment"):
                out.appointments[item["id"]] = sessions.appointment_from_item(item)
            elif sessions.is_type(item, "client"):
                out.clients[item["id"]] = people.client_from_item(item)
            elif sessions.is_type(item, "therapist"):
                out.therapists[item["id"]] = people.therapist_from_item(item)
        return out

    @staticmethod
    def message_record(message: PendingMessage) -> StoreRecord:
        """The record for a message: pass it as ``extra`` to write it with a change."""
        return StoreRecord(sessions.message_to_item(message))

    def defer_notice(self, message: PendingMessage) -> None:
        """Write a change notice over any earlier one for its channel (that one told of an
        older version of the session, so it is superseded either way)."""
        self.table.put(sessions.message_to_item(message))

    def put_message(self, message: PendingMessage) -> bool:
        """Schedule a one-off message once: a second call with the same key does nothing."""
        try:
            self.table.put(sessions.message_to_item(message), NotExists())
            return True
        except ConditionFailed:
            return False


def _unchanged(message: PendingMessage) -> Condition:
    """A mark or a release must not undo a newer write: a change notice replaced while it was
    being sent carries a new ``rev``, so the old one's mark fails and the new one stays due."""
    rev = codec_notices.revision_of(message)
    return Exists() if rev is None else Equals("rev", rev)
