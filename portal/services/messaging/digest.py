"""Each therapist's morning email, at about 07:00 in their own zone.

Run hourly. A therapist whose local hour is 7 (or 8 or 9, so a missed run catches up)
and who has had no digest today gets one: today's sessions, those not yet confirmed,
those at risk and why (the dashboard's rules: ``portal.services.workspace.dashboard``), and the
barriers, notes and replies that came in since yesterday's digest. Clients are named by
first name and last initial only. Once per therapist per local day: the day's digest is
claimed in the store before sending, and released if the send fails.
"""
from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, time, timedelta
from typing import cast

from portal.domain import wording
from portal.domain.model import Mode, PracticeSettings, Status, Therapist
from portal.domain.retention import marker_expiry
from portal.domain.timemath import local_wall_to_utc, to_local
from portal.interfaces import Deps
from portal.services.messaging.compose import digest_email
from portal.services.workspace.dashboard import sessions_view

log = logging.getLogger(__name__)

DIGEST_HOURS = (7, 8, 9)
NEW_ITEMS_SINCE = timedelta(hours=24)


def send_digests(deps: Deps) -> dict:
    store, now = deps.store, deps.clock.now()
    summary = {"sent": 0, "empty": 0, "not_now": 0, "already_sent": 0, "failed": 0}
    settings = None
    for therapist in store.list_therapists():
        local = to_local(now, therapist.timezone)
        if local.hour not in DIGEST_HOURS:
            summary["not_now"] += 1
            continue
        day, owner = local.date(), uuid.uuid4().hex
        if not store.claim_digest(therapist.id, day, owner):
            summary["already_sent"] += 1
            continue
        settings = settings or store.get_settings()
        try:
            outcome = _send_one(deps, therapist, settings, now)
        except Exception:  # one therapist's failure must not stop the others; try next hour
            log.exception("could not send the digest to therapist %s", therapist.id)
            store.release_digest(therapist.id, day, owner)
            summary["failed"] += 1
            continue
        store.finish_digest(therapist.id, day, owner, marker_expiry(now, settings.marker_days))
        summary[outcome] += 1
    return summary


def digest_values(deps: Deps, therapist: Therapist, settings: PracticeSettings, now: datetime) -> dict:
    """What the email says, as plain values (the template only lays them out)."""
    day = to_local(now, therapist.timezone).date()
    start = _day_start(day, therapist.timezone)
    end = _day_start(day + timedelta(days=1), therapist.timezone)
    rows, inbox = sessions_view(deps, therapist, start, end)
    sessions = []
    for row in rows:
        a = row.appointment
        sessions.append({
            "time": wording.clock(a.start, therapist.timezone),
            "client": row.client.short_name if row.client else "A former client",
            "mode": "video" if a.mode is Mode.TELE else "in person",
            "status": row.confirmation,
            "unconfirmed": a.status is Status.SCHEDULED,
            "open": a.status.is_open,
            "reasons": [r.text for r in row.reasons] if row.at_risk else [],  # Medium or High
        })
    base = getattr(deps.links, "base_url", "")
    # Minimum necessary outside the system: who and when, never the note or the barrier;
    # the signed-in page shows those.
    new_items = [{
        "client": r.client.short_name if r.client else "A former client",
        "when": wording.message_when(r.item.at, therapist.timezone),
        "link": f"{base}/t/clients/{r.item.client_id}" if r.client else f"{base}/t/",
    } for r in inbox if not r.item.handled and r.item.at >= now - NEW_ITEMS_SINCE]
    unconfirmed = [s for s in sessions if s["unconfirmed"]]
    at_risk = [s for s in sessions if s["reasons"]]
    open_sessions = [s for s in sessions if s["open"]]
    return dict(
        therapist_name=therapist.name, day=wording.day(day), sessions=open_sessions,
        unconfirmed=unconfirmed, at_risk=at_risk, new_items=new_items,
        practice=settings.display_name, workspace=f"{getattr(deps.links, 'base_url', '')}/t/",
        subject=_subject(len(open_sessions), len(unconfirmed), len(at_risk), len(new_items)),
    )


def _send_one(deps: Deps, therapist: Therapist, settings: PracticeSettings, now: datetime) -> str:
    values = digest_values(deps, therapist, settings, now)
    if not values["sessions"] and not values["new_items"]:
        return "empty"  # nothing today and nothing new: no email to read
    deps.notifier.send_email(digest_email(therapist.email, **values))
    return "sent"


def _subject(sessions: int, unconfirmed: int, at_risk: int, items: int) -> str:
    parts = [f"{sessions} session{'s' if sessions != 1 else ''} today"]
    if unconfirmed:
        parts.append(f"{unconfirmed} not yet confirmed")
    if at_risk:
        parts.append(f"{at_risk} at risk")
    if items:
        parts.append(f"{items} new message{'s' if items != 1 else ''}")
    return "Your day: " + ", ".join(parts)


def _day_start(day: date, zone_name: str) -> datetime:
    # A zone that skips midnight on its clock-change day skips only that hour.
    return cast(datetime, local_wall_to_utc(day, time(0), zone_name) or local_wall_to_utc(day, time(1), zone_name))
