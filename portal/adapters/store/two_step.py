"""The store's two-step sign-in records: a therapist's TOTP secret, the last code step used,
and the hashes of the unused recovery codes.

A part of ``Store`` (on ``StoreBase``: the table and the clock). These attributes sit on the therapist's profile
item but are written only here, never by ``update_therapist``, so a profile edit made from an
older read cannot bring back a secret or a spent recovery code. Each use is one conditional
UpdateItem: of two parallel uses of one code, exactly one passes.
"""
from __future__ import annotations

from portal.adapters.codec import keys
from portal.adapters.store.base import StoreBase
from portal.adapters.tables import Below, Condition, ConditionFailed, Equals, Exists, Item
from portal.domain.errors import NotFound

SECRET, LAST_STEP, RECOVERY = "totp_secret", "totp_last_step", "totp_recovery"


class TwoStepRecords(StoreBase):
    def enrol_two_step(self, therapist_id: str, secret: str, used_step: int,
                       recovery_hashes: list[str]) -> None:
        """Turn it on: the secret, the step of the code that confirmed it, fresh recovery codes."""
        fields = {SECRET: secret, LAST_STEP: used_step, RECOVERY: list(recovery_hashes)}
        self._two_step_write(therapist_id, fields, Exists())

    def end_two_step(self, therapist_id: str) -> None:
        """Turn it off: the secret and recovery codes are removed, not kept."""
        self._two_step_write(therapist_id, {SECRET: None, LAST_STEP: None, RECOVERY: None}, Exists())

    def use_code_step(self, therapist_id: str, step: int) -> bool:
        """Mark a code's step used; False if this or a later step was used already."""
        try:
            self.table.update(*keys.therapist_key(therapist_id), {LAST_STEP: step}, Below(LAST_STEP, step))
        except ConditionFailed:
            return False
        return True

    def use_recovery_code(self, therapist_id: str, unused: list[str], left: list[str]) -> bool:
        """Spend one recovery code: from ``unused`` (as read) to ``left``; False if the list
        changed since it was read (the code was just spent elsewhere)."""
        try:
            self.table.update(*keys.therapist_key(therapist_id), {RECOVERY: list(left)},
                              Equals(RECOVERY, list(unused)))
        except ConditionFailed:
            return False
        return True

    def _two_step_write(self, therapist_id: str, fields: Item, condition: Condition) -> None:
        try:
            self.table.update(*keys.therapist_key(therapist_id), fields, condition)
        except ConditionFailed:
            raise NotFound("No such therapist.") from None
