"""Once-only claims: "this happened once" (the day's text, a check-in, a follow-up, a digest).

A claim is one conditional write held for an owner; finishing it makes it final, and a claim
past its ``expires_at`` counts as gone (the TTL deletes late)."""
from __future__ import annotations

from datetime import date

from portal.adapters.codec import keys
from portal.adapters.store.base import StoreBase
from portal.adapters.tables import AnyOf, ConditionFailed, Equals, Key, NotExists
from portal.domain.retention import marker_expiry


class OnceClaims(StoreBase):
    # --- once-only claims: "this happened once" ---------------------------------------------
    def claim_daily_text(self, client_id: str, day: date, owner: str, expires_at: int) -> bool:
        """The client's one reminder text of their local ``day``, held for ``owner``."""
        return self._claim_once(keys.daily_text_key(client_id, day), owner, expires_at)

    def finish_daily_text(self, client_id: str, day: date, owner: str, expires_at: int) -> None:
        self._finish_once(keys.daily_text_key(client_id, day), owner, expires_at)

    def claim_checkin_message(self, appointment_id: str, after: str, owner: str) -> bool:
        """The one check-in of the gap before ``appointment_id`` (``after``: the earlier session)."""
        return self._claim_once(keys.checkin_once_key(appointment_id, after), owner)

    def finish_checkin_message(self, appointment_id: str, after: str, owner: str,
                               expires_at: int) -> None:
        self._finish_once(keys.checkin_once_key(appointment_id, after), owner, expires_at)

    def claim_followup(self, appointment_id: str, owner: str) -> bool:
        """The one "we missed you" of a missed session."""
        return self._claim_once(keys.followup_once_key(appointment_id), owner)

    def finish_followup(self, appointment_id: str, owner: str, expires_at: int) -> None:
        self._finish_once(keys.followup_once_key(appointment_id), owner, expires_at)

    def claim_digest(self, therapist_id: str, day: date, owner: str) -> bool:
        """The therapist's one morning digest of their local ``day``."""
        return self._claim_once(keys.digest_key(therapist_id, day), owner)

    def finish_digest(self, therapist_id: str, day: date, owner: str, expires_at: int) -> None:
        self._finish_once(keys.digest_key(therapist_id, day), owner, expires_at)

    def release_digest(self, therapist_id: str, day: date, owner: str) -> None:
        """The digest did not go out after all: the next run may try again."""
        self._release_once(keys.digest_key(therapist_id, day), owner)

    def _claim_once(self, key: Key, owner: str, expires_at: int | None = None) -> bool:
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

    def _finish_once(self, key: Key, owner: str, expires_at: int | None = None) -> None:
        """The thing happened: nobody can hold this record again."""
        self.table.put({"pk": key[0], "sk": key[1], "type": "once", "holder": f"{owner}#done",
                        "expires_at": expires_at or marker_expiry(self.now())})

    def _release_once(self, key: Key, owner: str) -> None:
        try:
            self.table.delete(key[0], key[1], Equals("holder", f"{owner}#open"))
        except ConditionFailed:
            pass  # taken over or done meanwhile: not ours to remove
