"""Check-in answers: the history under the client, and the copy of the newest that the dashboard reads in batches."""
from __future__ import annotations

from collections.abc import Iterable

from portal.adapters.codec import checkin as codec_checkin
from portal.adapters.codec import keys, people
from portal.adapters.codec import records as codec_records
from portal.adapters.store.base import StoreBase
from portal.adapters.tables import AnyOf, Below, ConditionFailed, NotExists, Put
from portal.domain.checkins import CheckIn
from portal.domain.model import Availability
from portal.domain.timemath import iso_utc


class CheckinRecords(StoreBase):
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

    def latest_checkins(self, client_ids: Iterable[str]) -> dict[str, CheckIn]:
        """Each client's newest answer, in one BatchGetItem; clients without one are left out.

        Answers recorded before the copy existed are not seen; they age out of the risk
        score within 30 days anyway (risk_score.CHECKIN_DAYS)."""
        return self.availability_with_checkins(None, client_ids)[1]

    def availability_with_checkins(self, therapist_id: str | None, client_ids: Iterable[str]
                                   ) -> tuple[Availability | None, dict[str, CheckIn]]:
        """A therapist's availability and the clients' newest answers: one BatchGetItem."""
        wanted = [keys.latest_checkin_key(c) for c in dict.fromkeys(client_ids)]
        if therapist_id:
            wanted.append(keys.availability_key(therapist_id))
        items = self.table.batch_get(wanted) if wanted else {}
        found = {}
        for client_id in dict.fromkeys(client_ids):
            answer = codec_checkin.latest_from_item(items.get(keys.latest_checkin_key(client_id)))
            if answer is not None:
                found[client_id] = answer
        availability = people.availability_from_item(items.get(keys.availability_key(therapist_id))) \
            if therapist_id else None
        return availability, found

    def checkin_answer_for(self, client_id: str, appointment_id: str) -> CheckIn | None:
        """The client's newest answer, if it was given from the check-in link of this session
        (one Query): reopening a check-in already sent shows a thank-you, not a blank form."""
        items = self.table.query(keys.client_partition(client_id), begins=keys.CHECKIN_PREFIX,
                                 reverse=True, limit=1)
        if not items or items[0].get("appointment_id") != appointment_id:
            return None
        return codec_records.checkin_from_item(items[0])
