"""A session's history in plain words: from what to what, and by whom.

"Moved from Tue Mar 3, 5:00 PM to Thu Mar 5, 6:00 PM by the client", "Switched to video by you".
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.domain.audit import AuditEvent
from portal.domain.model import Barrier
from portal.domain.wording import short_when

OUTREACH = {"reminded": "Sent a reminder", "reached": "Reached them"}  # the dashboard's one-tap log
VIA = {"link": "reminder link", "sms": "text reply", "voice": "phone"}
MODES = {"tele": "video", "in_person": "in person"}


def _when(text: Any, zone_name: str) -> str:
    try:
        return short_when(datetime.fromisoformat(text), zone_name)
    except (TypeError, ValueError):
        return "another time"


def _barrier(value: str | None) -> str:
    try:
        return Barrier(value).label.lower()
    except ValueError:
        return ""


def what_happened(event: AuditEvent, zone_name: str) -> str:
    d, action = event.detail or {}, event.action
    if action == "booked":
        mode = MODES.get(d.get("mode", ""), "")
        return f"Booked for {_when(d.get('start'), zone_name)}" + (f", {mode}" if mode else "")
    if action == "rescheduled":
        return f"Moved from {_when(d.get('from'), zone_name)} to {_when(d.get('to'), zone_name)}"
    if action == "mode_switched":
        return f"Switched to {MODES.get(d.get('mode', ''), 'the other way of meeting')}"
    if action == "cancelled":
        reason = _barrier(d.get("barrier")) if d.get("barrier") else ""
        return ("Cancelled late" if d.get("late") else "Cancelled") + (f" ({reason})" if reason else "")
    if action == "outreach":
        return OUTREACH.get(d.get("what", ""), "Got in touch")
    return {"confirmed": "Confirmed", "attended": "Marked attended", "no_show": "Marked missed",
            "seeded": "Added with the demo data"}.get(action, action.replace("_", " ").capitalize())


def who(event: AuditEvent, viewer_id: str, names: dict[str, str] | None = None) -> str:
    by = event.by
    if by.is_client:
        via = VIA.get(event.via)
        return f"the client ({via})" if via else "the client"
    if by.therapist_id:
        return "you" if by.therapist_id == viewer_id else (names or {}).get(by.therapist_id, "a colleague")
    return "the demo data" if event.via == "seed" else "the system"


def describe(event: AuditEvent, zone_name: str, viewer_id: str, names: dict[str, str] | None = None) -> str:
    if event.action == "seeded":
        return what_happened(event, zone_name)
    return f"{what_happened(event, zone_name)} by {who(event, viewer_id, names)}"
