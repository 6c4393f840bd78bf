"""A client's move of a session: what needs their word first, and what lets them undo it.

Plain Python. The earlier time travels on the session itself (``Appointment.moved_from``),
so the page can offer Undo without reading the audit trail, and nothing rides in the URL.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

SOON = timedelta(hours=24)  # a move landing closer than this asks the client to confirm first


@dataclass(frozen=True)
class MovedFrom:
    """Where a session was before the client moved it."""

    start: datetime
    mode: str  # a Mode value ("in_person", "tele"): kept plain so model.py can hold this type
    version: int  # the session's version right after the move: any later change ends the undo
    # The confirmation before the move ("scheduled"/"confirmed", "" when not known), so an undo
    # puts it back: a move counts as the client's word, an undo takes that back too.
    status: str = ""
    confirmed_via: str = ""


@dataclass(frozen=True)
class Move:
    """A time the client picked, before it is committed."""

    start: datetime
    mode: object  # the Mode the session will have there
    mode_changes: bool  # the time is offered only in the other mode
    soon: bool  # it lands within 24 hours

    @property
    def needs_confirming(self) -> bool:
        return self.mode_changes or self.soon


def plan_move(current_start: datetime, current_mode, start: datetime, mode, now: datetime) -> Move:
    return Move(start, mode, mode is not current_mode, start - now < SOON)


def undo_target(moved_from: MovedFrom | None, version: int, now: datetime) -> MovedFrom | None:
    """The earlier time, while Undo still makes sense: nothing changed since, and it is ahead."""
    if moved_from is None or moved_from.version != version or moved_from.start <= now:
        return None
    return moved_from
