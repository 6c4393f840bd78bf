"""The dashboard's one-tap log: "Sent a reminder" / "Reached them", kept on the session's history."""
from __future__ import annotations

from portal.domain.audit import Actor, AuditEvent
from portal.domain.errors import ValidationError
from portal.domain.history import OUTREACH
from portal.domain.model import Therapist
from portal.interfaces import AppointmentContext, Deps


def log_outreach(deps: Deps, ctx: AppointmentContext, what: str, therapist: Therapist) -> AuditEvent:
    """One audit event on the session; nothing else about it changes."""
    if what not in OUTREACH:
        raise ValidationError("Pick \u201cSent a reminder\u201d or \u201cReached them\u201d.")
    actor = Actor.therapist(therapist.id)
    event = AuditEvent(ctx.appointment.id, deps.clock.now(), actor.label, "outreach", actor.via,
                       {"what": what})
    deps.store.add_audit(event)
    return event
