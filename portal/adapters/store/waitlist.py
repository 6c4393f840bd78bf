"""The store's side for the waitlist: entries (sparse on the by_therapist index, ``W#``),
openings (freed times and their offers, ``O#``) and the offers-a-day cap.

A part of ``Store`` (on ``StoreBase``: the table and the clock). Planning a wave reads one therapist's
entries with one Query of that index: its cost follows that therapist's list, never the
table. No Scan.
"""
from __future__ import annotations

from datetime import date, datetime

from portal.adapters.codec import keys, people, sessions
from portal.adapters.codec import settings as codec_settings
from portal.adapters.codec import waitlist as codec_waitlist
from portal.adapters.store.base import StoreBase
from portal.adapters.tables import ConditionFailed, Equals, Exists, Item, NotExists
from portal.domain.messages import PendingMessage
from portal.domain.timemath import iso_utc
from portal.domain.waitlist import OFFERS_A_DAY, OfferRef, Opening, WaitlistEntry
from portal.interfaces import OfferPage, StoreRecord


class WaitlistRecords(StoreBase):
    # --- entries ------------------------------------------------------------------------------
    def waitlist_entry(self, client_id: str, consistent: bool = False) -> WaitlistEntry | None:
        return self.waitlist_from_item(self.table.get(*keys.waitlist_key(client_id), consistent=consistent))

    @staticmethod
    def waitlist_from_item(item: Item | None) -> WaitlistEntry | None:
        """An entry still on the list (one that got its time is kept, out of the index)."""
        return codec_waitlist.entry_from_item(item) if item and sessions.is_type(item, "waitlist") else None

    def save_waitlist_entry(self, entry: WaitlistEntry) -> None:
        self.table.put(codec_waitlist.entry_to_item(entry))

    def remove_waitlist_entry(self, client_id: str) -> bool:
        """False when there was none (leaving twice is fine)."""
        try:
            self.table.delete(*keys.waitlist_key(client_id), Exists())
            return True
        except ConditionFailed:
            return False

    def waitlist_of(self, therapist_id: str) -> list[WaitlistEntry]:
        """The therapist's entries, longest on the list first (one Query, paged by the table)."""
        items = self.table.query(keys.therapist_partition(therapist_id), index="by_therapist",
                                 begins=keys.WAITLIST_SORT_PREFIX)
        return [codec_waitlist.entry_from_item(i) for i in items]

    def note_offer(self, client_id: str, offer: OfferRef) -> None:
        """The offer a "Y" by text would claim: one attribute, only if the entry is still there."""
        value = {"opening": offer.opening_id, "until": iso_utc(offer.until)}
        try:
            self.table.update(*keys.waitlist_key(client_id), {"offer": value})
        except ConditionFailed:
            pass  # the client left the list meanwhile

    @staticmethod
    def waitlist_left_record(entry: WaitlistEntry) -> StoreRecord:
        """An entry that got its earlier time: written with the claim, out of the index."""
        item = codec_waitlist.entry_to_item(entry)
        for name in ("gsi1pk", "gsi1sk", "offer"):
            item.pop(name, None)
        item["type"] = "waitlist_done"
        return StoreRecord(item)

    # --- openings -----------------------------------------------------------------------------
    @staticmethod
    def opening_record(opening: Opening) -> StoreRecord:
        """Pass it as ``extra`` to write the opening with the change that frees its time."""
        return StoreRecord(codec_waitlist.opening_to_item(opening))

    @staticmethod
    def offer_message_record(message: PendingMessage) -> StoreRecord:
        """A wave's due message, written with the change that frees the time. Not among the
        session's own message keys, so a later change to that session leaves it be."""
        return StoreRecord(sessions.message_to_item(message))

    def get_opening(self, opening_id: str, consistent: bool = False) -> Opening | None:
        item = self.table.get(*keys.opening_key(opening_id), consistent=consistent)
        return codec_waitlist.opening_from_item(item) if item else None

    def save_opening(self, opening: Opening) -> bool:
        """Conditional on the version read (``opening.version - 1``); False if it changed."""
        try:
            self.table.put(codec_waitlist.opening_to_item(opening),
                           Equals("version", opening.version - 1))
            return True
        except ConditionFailed:
            return False

    def openings_of(self, therapist_id: str, start: datetime, end: datetime) -> list[Opening]:
        items = self.table.query(keys.therapist_partition(therapist_id), index="by_therapist",
                                 between=codec_waitlist.opening_range(start, end))
        return [codec_waitlist.opening_from_item(i) for i in items]

    def load_offer(self, opening_id: str, client_id: str, therapist_id: str) -> OfferPage:
        """An offer link's page: the opening, the client's entry, the client, the therapist,
        their availability and the settings, in one BatchGetItem."""
        wanted = {"opening": keys.opening_key(opening_id), "entry": keys.waitlist_key(client_id),
                "client": keys.client_key(client_id), "therapist": keys.therapist_key(therapist_id),
                "availability": keys.availability_key(therapist_id), "settings": keys.SETTINGS_KEY}
        found = self.table.batch_get(list(wanted.values()), consistent=True)
        got = {name: found.get(key) for name, key in wanted.items()}
        return OfferPage(
            opening=codec_waitlist.opening_from_item(got["opening"]) if got["opening"] else None,
            entry=self.waitlist_from_item(got["entry"]),
            client=people.client_from_item(got["client"]) if got["client"] else None,
            therapist=people.therapist_from_item(got["therapist"]) if got["therapist"] else None,
            availability=people.availability_from_item(got["availability"]),
            settings=codec_settings.settings_from_item(got["settings"]),
        )

    # --- the cap: two offers a client-local day -----------------------------------------------
    def claim_offer_day(self, client_id: str, day: date, owner: str, expires_at: int) -> bool:
        """One of the client's offers of ``day`` for ``owner`` (an opening); False at the cap."""
        for n in range(1, OFFERS_A_DAY + 1):
            pk, sk = keys.offer_day_key(client_id, day, n)
            item = {"pk": pk, "sk": sk, "type": "once", "holder": owner, "expires_at": expires_at}
            try:
                self.table.put(item, NotExists())
                return True
            except ConditionFailed:
                current = self.table.get(pk, sk, consistent=True)
                if current and current.get("holder") == owner:
                    return True  # a retried run: this offer already counted
        return False
