"""Sign-in counters: failed sign-ins per account and per address, in 15-minute windows."""
from __future__ import annotations

from portal.adapters.codec import keys
from portal.adapters.store.base import StoreBase


class SignInCounters(StoreBase):
    # --- sign-in throttling -------------------------------------------------------------------
    def count_attempt(self, scope: str, subject: str, window: int, amount: int,
                      expires_at: int) -> int:
        """Atomically add to a sign-in counter (one UpdateItem); returns the new count."""
        pk, sk = keys.throttle_key(scope, subject, window)
        return self.table.add(pk, sk, "failures", amount, {"type": "throttle", "expires_at": expires_at})
