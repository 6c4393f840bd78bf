"""The practice admin's team work: deactivate and reactivate a therapist, and hand each of a
deactivated therapist's future sessions to a colleague or cancel it kindly.

A deactivated therapist can't sign in (their open sessions end at once: a fresh session key)
and offers no open times (domain.slots); their past sessions and figures stay as they are.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

from portal.domain.audit import Actor, AuditEvent
from portal.domain.errors import NotFound, StaleVersion, ValidationError
from portal.domain.messages import plan_reminders
from portal.domain.model import Appointment, Mode, Therapist
from portal.domain.timemath import to_local
from portal.interfaces import AppointmentChange, AppointmentContext, Deps
from portal.services.client import notify
from portal.services.sessions import booking, on_behalf

AHEAD = timedelta(days=400)  # a fortnightly series of 26 reaches a year ahead


def _colleague(deps: Deps, admin: Therapist, therapist_id: str) -> Therapist:
    if not admin.is_admin:
        raise NotFound("No such therapist.")
    found = deps.store.get_therapist(therapist_id)
    if found is None:
        raise NotFound("No such therapist.")
    return found


def _record(deps: Deps, admin: Therapist, therapist: Therapist, action: str) -> None:
    actor = Actor.therapist(admin.id)
    deps.store.record_therapist_event(therapist.id, AuditEvent(
        "", deps.clock.now(), actor.label, action, actor.via, {"therapist": therapist.id}))


def deactivate(deps: Deps, admin: Therapist, therapist_id: str) -> Therapist:
    """Switch the account off: no sign-in, every open session ended, no open times offered.
    Doing it twice changes nothing the second time."""
    therapist = _colleague(deps, admin, therapist_id)
    if therapist.id == admin.id:
        raise ValidationError("You can't deactivate your own account. Another practice admin can, "
                              "if that is ever needed.")
    if not therapist.active:
        return therapist
    deps.store.set_therapist_active(therapist.id, False, secrets.token_urlsafe(16))
    deps.store.set_feed_key(therapist.id, "")  # the calendar feed ends too: no key, no feed
    _record(deps, admin, therapist, "deactivated")
    return replace(therapist, active=False)


def reset_two_step(deps: Deps, admin: Therapist, therapist_id: str) -> tuple[Therapist, bool]:
    """A colleague lost their phone and their recovery codes: the admin turns their two-step
    off (the secret and codes are removed). Returns them, and whether they must set it up again
    at their next sign-in (the practice requires it). Audited; a second time changes nothing."""
    therapist = _colleague(deps, admin, therapist_id)
    if therapist.id == admin.id:
        raise ValidationError("Your own two-step sign-in is turned off on your Two-step sign-in "
                              "page, with your password and a code or a recovery code.")
    required = deps.store.get_settings().two_step_required
    if not therapist.totp_secret:
        return therapist, required
    deps.store.end_two_step(therapist.id)
    _record(deps, admin, therapist, "two-step reset")
    return replace(therapist, totp_secret="", totp_last_step=0, recovery_hashes=()), required


def reactivate(deps: Deps, admin: Therapist, therapist_id: str) -> Therapist:
    """Sign-in and open times come back (with the password they had)."""
    therapist = _colleague(deps, admin, therapist_id)
    if therapist.active:
        return therapist
    deps.store.set_therapist_active(therapist.id, True)
    _record(deps, admin, therapist, "reactivated")
    return replace(therapist, active=True)


def confirm_deactivate(deps: Deps, admin: Therapist, therapist_id: str) -> tuple[Therapist, int]:
    """The confirmation page's facts: the therapist and how many sessions they have ahead."""
    therapist = _colleague(deps, admin, therapist_id)
    return therapist, len(_ahead(deps, therapist))


@dataclass(frozen=True)
class TeamSessions:
    """The sessions page: a therapist's future open sessions and who could take them."""

    therapist: Therapist
    sessions: list[Appointment]
    colleagues: list[Therapist]  # active, other than this therapist


def future_sessions(deps: Deps, admin: Therapist, therapist_id: str) -> TeamSessions:
    """Two Queries: the therapist's calendar ahead, and the practice's therapists."""
    therapist = _colleague(deps, admin, therapist_id)
    others = [t for t in deps.store.list_therapists() if t.active and t.id != therapist.id]
    return TeamSessions(therapist, _ahead(deps, therapist), others)


def _ahead(deps: Deps, therapist: Therapist) -> list[Appointment]:
    now = deps.clock.now()
    found = deps.store.therapist_appointments(therapist.id, now, now + AHEAD)
    return [a for a in found if a.status.is_open and a.start > now]


def _session_of(deps: Deps, admin: Therapist, therapist_id: str,
                appointment_id: str) -> AppointmentContext:
    """One of this therapist's sessions; anyone else's is answered as not there."""
    _colleague(deps, admin, therapist_id)
    found = deps.store.get_appointment(appointment_id)
    if found is None or found.therapist_id != therapist_id:
        raise NotFound("That session isn't on this therapist's calendar.")
    ctx = deps.store.load_context(found.id, found.client_id, found.therapist_id)
    if ctx is None:
        raise NotFound("That session isn't on this therapist's calendar.")
    return ctx


def reassign(deps: Deps, admin: Therapist, therapist_id: str, appointment_id: str, version: int,
             new_therapist_id: str) -> Appointment:
    """Hand a session to an active colleague at the same time, and tell the client.

    One transaction: the session (conditional on ``version``), the old therapist's time cells
    released and the new one's claimed (SlotTaken if they are busy then), the reminders
    rewritten, an audit event. StaleVersion if the session changed since the page."""
    ctx = _session_of(deps, admin, therapist_id, appointment_id)
    before, now = ctx.appointment, deps.clock.now()
    if version != before.version:
        raise StaleVersion()
    if not before.status.is_open or before.start <= now:
        raise StaleVersion("This session has already started, or it was changed a moment ago.")
    target, availability = deps.store.therapist_with_availability(new_therapist_id)
    if target is None or not target.active or target.id == before.therapist_id:
        raise ValidationError("Please pick another active therapist of the practice.")
    if any(off.covers(to_local(before.start, target.timezone).date()) for off in availability.time_off):
        raise ValidationError(f"{target.name} is off that day. Please pick someone else.")
    after = replace(before, therapist_id=target.id, version=before.version + 1,
                    join_url=booking.join_url_for(before.id, target, ctx.settings)
                    if before.mode is Mode.TELE else "")
    actor = Actor.therapist(admin.id)
    deps.store.commit(AppointmentChange(
        before=before, after=after, before_message_keys=ctx.message_keys,
        before_hold_end=ctx.hold_end or booking.hold_end(before, ctx.therapist),
        after_hold_end=booking.hold_end(after, target),
        messages=plan_reminders(after, ctx.client, ctx.settings, now),
        audit=AuditEvent(before.id, now, actor.label, "reassigned", actor.via,
                         {"from": before.therapist_id, "to": target.id}),
    ))
    notify.send_change(deps, "therapist", after, ctx.client, target, ctx.settings)
    return after


def cancel_kindly(deps: Deps, admin: Therapist, therapist_id: str, appointment_id: str,
                  version: int) -> Appointment:
    """Cancelled for the client (never counted as late); they are told and offered a new time."""
    ctx = _session_of(deps, admin, therapist_id, appointment_id)
    return on_behalf.cancel(deps, ctx, version, by=admin)
