"""Clients: the record, its address lookup, and the flags only the client (or an event) sets."""
from __future__ import annotations

from portal.adapters.codec import keys, people
from portal.adapters.store.base import StoreBase
from portal.adapters.tables import Condition, ConditionFailed, NotExists, Put
from portal.domain.errors import NotFound, ValidationError
from portal.domain.model import Client


class ClientRecords(StoreBase):
    # --- clients ----------------------------------------------------------------------------
    def add_client(self, client: Client) -> None:
        try:
            self.table.transact(self._client_writes(client, NotExists()))
        except ConditionFailed:
            raise ValidationError("That client already exists.") from None

    # Flags the client sets (a STOP text, the check-in toggle): only set_client_flags writes
    # them, one attribute at a time, so a therapist's edit made meanwhile cannot undo them.
    CLIENT_OWNED = ("sms_opted_out", "checkins_enabled")
    # Set by SMS delivery events; cleared by services.clients when the number changes.
    EVENT_OWNED = ("sms_unreachable",)
    FLAGS = CLIENT_OWNED + EVENT_OWNED + ("email_blocked",)

    def update_client(self, client: Client) -> None:
        """The therapist's edit: every field but the client's own flags, in one UpdateItem."""
        item = people.client_to_item(client)
        fields = {k: v for k, v in item.items()
                  if k not in ("pk", "sk") + self.CLIENT_OWNED + self.EVENT_OWNED}
        fields.setdefault("gsi2pk", None)  # a removed phone number leaves the phone index
        fields.setdefault("gsi2sk", None)
        lookup = people.client_email_lookup(client)
        if lookup:  # first: if the update then fails, a spare lookup is harmless; a missing one is not
            self.table.put(lookup)
        try:
            self.table.update(item["pk"], item["sk"], fields)
        except ConditionFailed:
            raise NotFound("No such client.") from None

    def set_client_flags(self, client_id: str, **flags: bool) -> None:
        """Change sms_opted_out, checkins_enabled, email_blocked or sms_unreachable without
        touching the rest."""
        unknown = set(flags) - set(self.FLAGS)
        if unknown:
            raise ValueError(f"not a client flag: {sorted(unknown)}")
        try:
            self.table.update(*keys.client_key(client_id), {k: bool(v) for k, v in flags.items()})
        except ConditionFailed:
            raise NotFound("No such client.") from None

    @staticmethod
    def _client_writes(client: Client, condition: Condition) -> list[Put]:
        """The client and its address lookup, together. A lookup left by an old address is
        harmless: clients_by_email checks the address on the client itself."""
        lookup = people.client_email_lookup(client)
        return [Put(people.client_to_item(client), condition)] + ([Put(lookup)] if lookup else [])

    def clients_by_email(self, email: str) -> list[Client]:
        address = email.strip().lower()
        ids = [i["client_id"] for i in self.table.query(keys.email_lookup_partition(address))]
        found = self.table.batch_get([keys.client_key(cid) for cid in ids]) if ids else {}
        clients = [people.client_from_item(item) for item in found.values()]
        return [c for c in clients if c.email.strip().lower() == address]

    def get_client(self, client_id: str) -> Client | None:
        item = self.table.get(*keys.client_key(client_id))
        return people.client_from_item(item) if item else None

    def list_clients(self, therapist_id: str) -> list[Client]:
        items = self.table.query(keys.therapist_partition(therapist_id), index="by_therapist",
                                 begins=keys.CLIENT_SORT_PREFIX)
        return [people.client_from_item(i) for i in items]

    def clients_by_phone(self, phone: str) -> list[Client]:
        items = self.table.query(keys.phone_partition(phone), index="by_client")
        return [people.client_from_item(i) for i in items]

    # --- imports: many at once, in batches ------------------------------------------------------
    def add_clients(self, clients: list[Client]) -> set[str]:
        """New clients in BatchWriteItem calls; those already stored are left as they are (a
        client's own flags, such as a STOP, must survive a re-import). Returns the ids written."""
        return self._put_new([(keys.client_key(c.id), [op.item for op in self._client_writes(c, None)])
                              for c in clients])
