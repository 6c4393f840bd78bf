"""A check-in answer.

Who may miss a session, and why, is scored in ``portal.domain.risk_score``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CheckIn:
    """A client's latest check-in answer (score 1-5)."""

    at: datetime
    score: int
    barrier: str | None = None
    note: str = ""
