"""Clocks: the app reads the time only through one of these, so tests and the dev panel set it."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def wall_now(self) -> datetime:
        return self.now()


class FixedClock:
    """A clock that stands still until told to move (tests)."""

    def __init__(self, now: datetime):
        self._now = now.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self._now

    def wall_now(self) -> datetime:
        return self._now  # a test's authenticator codes follow its fixed time

    def set(self, now: datetime):
        self._now = now.astimezone(timezone.utc)

    def advance(self, delta: timedelta):
        self._now += delta


class DevClock:
    """Real time plus an offset the dev panel can move; time keeps running."""

    def __init__(self):
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self._offset

    def wall_now(self) -> datetime:
        """Real time, whatever the panel set: a real authenticator app's codes follow it."""
        return datetime.now(timezone.utc)

    def set(self, now: datetime):
        with self._lock:
            self._offset = now.astimezone(timezone.utc) - datetime.now(timezone.utc)

    def advance(self, delta: timedelta):
        if delta < timedelta(0):
            raise ValueError("The dev clock only moves forward.")
        with self._lock:
            self._offset += delta
