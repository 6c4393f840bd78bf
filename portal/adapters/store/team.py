"""The store's side for the practice's team: therapists (profile, sign-in name, password,
weekly hours), a therapist deactivated or reactivated, and the audit events about a
therapist (kept in their own partition, beside their profile).

A part of ``Store`` (on ``StoreBase``: the table and the clock).
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from portal.adapters.codec import keys, people
from portal.adapters.store.base import StoreBase
from portal.adapters.tables import AnyOf, ConditionFailed, Equals, Item, NotExists, Put
from portal.domain.audit import AuditEvent
from portal.domain.errors import NotFound, StaleVersion, ValidationError
from portal.domain.model import Availability, Therapist
from portal.domain.timemath import iso_utc, parse_utc
from portal.interfaces import StoreRecord


class TeamRecords(StoreBase):
    # --- therapists -------------------------------------------------------------------------
    def add_therapist(self, therapist: Therapist, availability: Availability | None = None) -> None:
        pk, sk = keys.login_key(therapist.email)
        login = {"pk": pk, "sk": sk, "type": "login", "therapist_id": therapist.id}
        avail = people.availability_to_item(therapist.id, availability or Availability())
        try:
            self.table.transact([
                Put(people.therapist_to_item(therapist), NotExists()),
                Put(login, NotExists()),
                Put(avail, NotExists()),
            ])
        except ConditionFailed as failure:
            if 1 in failure.failed:
                raise ValidationError("A therapist with that email already exists.") from None
            raise ValidationError("That therapist already exists.") from None

    def update_therapist(self, therapist: Therapist) -> None:
        """Profile fields only, in one UpdateItem: the email (the sign-in name) stays as it is,
        and the password hash is set_password_hash's alone, so an edit made from a page read
        earlier cannot put back a password that was just reset."""
        item = people.therapist_to_item(therapist)
        fields = {k: v for k, v in item.items() if k not in ("pk", "sk", "email", "password_hash", "active")}
        try:
            self.table.update(item["pk"], item["sk"], fields, Equals("email", therapist.email))
        except ConditionFailed:
            if self.get_therapist(therapist.id) is None:
                raise NotFound("No such therapist.") from None
            raise ValidationError("The sign-in email can't be changed here.") from None

    def set_password_hash(self, therapist_id: str, password_hash: str) -> None:
        try:
            self.table.update(*keys.therapist_key(therapist_id), {"password_hash": password_hash})
        except ConditionFailed:
            raise NotFound("No such therapist.") from None

    def set_session_key(self, therapist_id: str, session_key: str) -> None:
        """Sign-out: one UpdateItem; sessions stamped with the old key stop working at once."""
        try:
            self.table.update(*keys.therapist_key(therapist_id), {"session_key": session_key})
        except ConditionFailed:
            raise NotFound("No such therapist.") from None

    def get_therapist(self, therapist_id: str) -> Therapist | None:
        item = self.table.get(*keys.therapist_key(therapist_id))
        return people.therapist_from_item(item) if item else None

    def therapist_by_email(self, email: str) -> Therapist | None:
        login = self.table.get(*keys.login_key(email))
        return self.get_therapist(login["therapist_id"]) if login else None

    def list_therapists(self) -> list[Therapist]:
        items = self.table.query(keys.THERAPISTS, index="by_therapist")
        return [people.therapist_from_item(i) for i in items]

    def get_availability(self, therapist_id: str) -> Availability:
        return people.availability_from_item(self.table.get(*keys.availability_key(therapist_id)))

    def therapist_with_availability(self, therapist_id: str) -> tuple[Therapist | None, Availability]:
        """Profile and availability in one Query of the therapist's partition."""
        items = self.table.query(keys.therapist_partition(therapist_id), between=keys.PROFILE_RANGE)
        by_key = {(i["pk"], i["sk"]): i for i in items}
        profile = by_key.get(keys.therapist_key(therapist_id))
        if profile is None:
            return None, Availability()
        return (people.therapist_from_item(profile),
                people.availability_from_item(by_key.get(keys.availability_key(therapist_id))))

    def save_availability(self, therapist_id: str, availability: Availability,
                          extra: Iterable[StoreRecord] = ()) -> Availability:
        """``extra`` records (the openings the new hours make) are written in the same transaction."""
        from dataclasses import replace

        if not storable_version(availability.version):  # a tampered form: it can only be stale
            raise StaleVersion("Your availability was changed in another window. "
                               "Here it is now; please make your change again.")
        stored = replace(availability, version=availability.version + 1)
        condition = (Equals("version", availability.version) if availability.version
                     else AnyOf((NotExists(), Equals("version", 0))))
        try:
            item = people.availability_to_item(therapist_id, stored)
            if extra:
                self.table.transact([Put(item, condition)] + [Put(record.item) for record in extra])
            else:
                self.table.put(item, condition)
        except ConditionFailed:
            raise StaleVersion("Your availability was changed in another window. "
                               "Here it is now; please make your change again.") from None
        return stored

    # --- deactivation ---------------------------------------------------------------------
    def set_therapist_active(self, therapist_id: str, active: bool, session_key: str | None = None) -> None:
        """One UpdateItem of ``active`` (and, on deactivation, a fresh ``session_key`` that ends
        every open session at once). A profile edit never writes these, so a page read before
        cannot bring a deactivated therapist back."""
        fields: Item = {"active": bool(active)}
        if session_key:
            fields["session_key"] = session_key
        try:
            self.table.update(*keys.therapist_key(therapist_id), fields)
        except ConditionFailed:
            raise NotFound("No such therapist.") from None

    def record_therapist_event(self, therapist_id: str, event: AuditEvent) -> None:
        pk, sk = keys.therapist_event_key(therapist_id, event.at, uuid.uuid4().hex[:8])
        self.table.put({"pk": pk, "sk": sk, "type": "therapist_audit", "therapist_id": therapist_id,
                        "at": iso_utc(event.at), "actor": event.actor, "action": event.action,
                        "via": event.via, "detail": event.detail}, NotExists())

    def therapist_events(self, therapist_id: str) -> list[AuditEvent]:
        """Oldest first (one Query of the therapist's partition)."""
        items = self.table.query(keys.therapist_partition(therapist_id), begins=keys.AUDIT_PREFIX)
        return [AuditEvent("", parse_utc(i["at"]), i["actor"], i["action"], i.get("via", ""),
                           i.get("detail") or {}) for i in items]


def storable_version(version: object) -> bool:
    """Versions a page sends back are compared with stored ones; DynamoDB numbers hold 38
    digits, so anything outside a sane range can only be a stale or tampered value."""
    return isinstance(version, int) and 0 <= version < 2 ** 53
