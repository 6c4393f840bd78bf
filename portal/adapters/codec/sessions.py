"""Sessions, their history, pending messages and the therapist's inbox to table items and
back (keys: ``keys``)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from portal.adapters.codec import keys, notices
from portal.adapters.codec.moves import moved_from_of, moved_from_to_item
from portal.adapters.tables import Item
from portal.domain.audit import AuditEvent
from portal.domain.messages import CLAIMED, PENDING, PendingMessage
from portal.domain.model import Appointment, Barrier, Channel, InboxItem, Mode, Status
from portal.domain.retention import AUDIT_RETENTION, expiry_epoch
from portal.domain.timemath import iso_utc, parse_utc


def _opt_dt(text: str | None) -> datetime | None:
    return parse_utc(text) if text else None


# --- appointments --------------------------------------------------------------------------
def appointment_to_item(a: Appointment, message_keys: Iterable[str] = (),
                        hold_end: datetime | None = None) -> Item:
    pk, sk = keys.appointment_key(a.id)
    start = iso_utc(a.start)
    return {
        "pk": pk, "sk": sk, "type": "appointment", "id": a.id,
        "therapist_id": a.therapist_id, "client_id": a.client_id,
        "start": start, "end": iso_utc(a.end), "mode": a.mode.value, "location": a.location,
        "status": a.status.value, "version": a.version, "join_url": a.join_url,
        "barrier": a.barrier.value if a.barrier else None, "note": a.note,
        "changed_by_client": a.changed_by_client, "confirmed_via": a.confirmed_via,
        "created_at": iso_utc(a.created_at) if a.created_at else None,
        "moved_from": moved_from_to_item(a.moved_from),
        "message_keys": list(message_keys), "client_label": a.client_label,
        # The end of the time this session holds (its buffer included): what a move releases.
        "hold_end": iso_utc(hold_end or a.end),
        "gsi1pk": keys.therapist_partition(a.therapist_id), "gsi1sk": f"{keys.APPOINTMENT_SORT_PREFIX}{start}#{a.id}",
        "gsi2pk": keys.client_partition(a.client_id), "gsi2sk": f"{keys.APPOINTMENT_SORT_PREFIX}{start}#{a.id}",
    }


def appointment_from_item(item: Item) -> Appointment:
    return Appointment(
        id=item["id"], therapist_id=item["therapist_id"], client_id=item["client_id"],
        start=parse_utc(item["start"]), end=parse_utc(item["end"]), mode=Mode(item["mode"]),
        location=item.get("location", ""), status=Status(item["status"]),
        version=item["version"], join_url=item.get("join_url", ""),
        barrier=Barrier(item["barrier"]) if item.get("barrier") else None,
        note=item.get("note", ""), changed_by_client=item.get("changed_by_client", False),
        confirmed_via=item.get("confirmed_via", ""), created_at=_opt_dt(item.get("created_at")),
        moved_from=moved_from_of(item.get("moved_from")),
        client_label=item.get("client_label", ""),
    )


def audit_to_item(event: AuditEvent, unique: str) -> Item:
    return {
        "pk": keys.appointment_partition(event.appointment_id),
        "sk": f"{keys.AUDIT_PREFIX}{iso_utc(event.at)}#{unique}",
        "type": "audit", "appointment_id": event.appointment_id, "at": iso_utc(event.at),
        "actor": event.actor, "action": event.action, "via": event.via, "detail": event.detail,
        "expires_at": expiry_epoch(event.at, AUDIT_RETENTION),
    }


def audit_from_item(item: Item) -> AuditEvent:
    return AuditEvent(item["appointment_id"], parse_utc(item["at"]), item["actor"],
                      item["action"], item.get("via", ""), item.get("detail") or {})


# --- therapist inbox ---------------------------------------------------------------------
def inbox_to_item(i: InboxItem) -> Item:
    return {
        "pk": keys.therapist_partition(i.therapist_id), "sk": f"{keys.INBOX_PREFIX}{iso_utc(i.at)}#{i.id}",
        "type": "inbox",
        "id": i.id, "therapist_id": i.therapist_id, "at": iso_utc(i.at), "kind": i.kind,
        "client_id": i.client_id, "appointment_id": i.appointment_id or None,
        "barrier": i.barrier.value if i.barrier else None, "text": i.text, "handled": i.handled,
    }


def inbox_from_item(item: Item) -> InboxItem:
    return InboxItem(
        therapist_id=item["therapist_id"], at=parse_utc(item["at"]), kind=item["kind"],
        client_id=item["client_id"], appointment_id=item.get("appointment_id") or "",
        barrier=Barrier(item["barrier"]) if item.get("barrier") else None,
        text=item.get("text", ""), handled=item.get("handled", False), id=item["id"],
    )


# --- pending messages ----------------------------------------------------------------------
def message_to_item(m: PendingMessage) -> Item:
    pk, sk = keys.message_key(m.appointment_id, m.key)
    item = {
        "pk": pk, "sk": sk, "type": "message", "appointment_id": m.appointment_id,
        "kind": m.kind, "channel": m.channel.value, "due_at": iso_utc(m.due_at),
        "status": m.status, "for_start": iso_utc(m.for_start) if m.for_start else None,
        "provider_id": m.provider_id or None,
        "claimed_until": iso_utc(m.claimed_until) if m.claimed_until else None,
        "detail": m.detail or None,
        **notices.revision_fields(m),  # a change notice's: its claim and marks check them
    }
    if m.status in (PENDING, CLAIMED):  # sparse: only unsent messages sit in the due index
        item["due_bucket"], item["due_sk"] = keys.due_bucket(m.due_at, m.lane), keys.due_sort(m)
    return item


def message_from_item(item: Item) -> PendingMessage:
    return PendingMessage(
        appointment_id=item["appointment_id"], kind=item["kind"], channel=Channel(item["channel"]),
        due_at=parse_utc(item["due_at"]), status=item["status"],
        for_start=_opt_dt(item.get("for_start")), provider_id=item.get("provider_id") or "",
        claimed_until=_opt_dt(item.get("claimed_until")), detail=item.get("detail") or {},
    )


def is_type(item: Item, kind: str) -> bool:
    return item.get("type") == kind


def datetime_or_none(text: str | None) -> datetime | None:
    return _opt_dt(text)
