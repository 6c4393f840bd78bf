"""The store's side for the practice's team: a therapist deactivated or reactivated, and the
audit events about a therapist (kept in their own partition, beside their profile).

A mixin of ``Store`` (it uses ``self.table``).
"""
from __future__ import annotations

import uuid

from portal.adapters import codec
from portal.adapters.table import ConditionFailed, NotExists
from portal.domain.audit import AuditEvent
from portal.domain.errors import NotFound
from portal.domain.timemath import iso_utc, parse_utc


class TeamRecords:
    def set_therapist_active(self, therapist_id: str, active: bool, session_key: str | None = None):
        """One UpdateItem of ``active`` (and, on deactivation, a fresh ``session_key`` that ends
        every open session at once). A profile edit never writes these, so a page read before
        cannot bring a deactivated therapist back."""
        fields = {"active": bool(active)}
        if session_key:
            fields["session_key"] = session_key
        try:
            self.table.update(*codec.therapist_key(therapist_id), fields)
        except ConditionFailed:
            raise NotFound("No such therapist.") from None

    def record_therapist_event(self, therapist_id: str, event: AuditEvent) -> None:
        pk, sk = codec.therapist_event_key(therapist_id, event.at, uuid.uuid4().hex[:8])
        self.table.put({"pk": pk, "sk": sk, "type": "therapist_audit", "therapist_id": therapist_id,
                        "at": iso_utc(event.at), "actor": event.actor, "action": event.action,
                        "via": event.via, "detail": event.detail}, NotExists())

    def therapist_events(self, therapist_id: str) -> list[AuditEvent]:
        """Oldest first (one Query of the therapist's partition)."""
        items = self.table.query(codec.therapist_partition(therapist_id), begins=codec.AUDIT_PREFIX)
        return [AuditEvent("", parse_utc(i["at"]), i["actor"], i["action"], i.get("via", ""),
                           i.get("detail") or {}) for i in items]
