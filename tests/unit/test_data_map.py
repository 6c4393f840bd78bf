"""The data map (adapters/codec/keys.py KINDS) is true: every kind of item the adapters write
is in it, each answers every question, and a client's export and erasure cover exactly the
kinds that say they do. One item of every kind is written for one client, then exported and
erased, and the table is checked kind by kind."""
import io
import json
import re
import zipfile
from dataclasses import fields
from datetime import timedelta
from pathlib import Path

import pytest

from portal.adapters.codec import delivery as codec_delivery
from portal.adapters.codec.keys import KINDS, Kind
from portal.domain.audit import AuditEvent
from portal.domain.model import Mode
from portal.domain.waitlist import Opening, WaitlistEntry, WaitlistPrefs
from portal.services.privacy.erasure import erase_client
from portal.services.privacy.export import export_client
from tests.privacy_support import SENTINELS, erasable_client, items_holding
from tests.workspace_support import seeded

ADAPTERS = Path(__file__).resolve().parents[2] / "portal" / "adapters"
# Where an exported kind appears in the export: a new exported kind must name its section.
EXPORT_SECTION = {"client": "client", "appointment": "sessions", "audit": "session_history",
                  "message": "messages", "inbox": "notes_and_barriers", "checkin": "checkins",
                  "access": "access_log", "waitlist": "waitlist"}
TID = "mchen1"


def _kinds_in_code() -> set[str]:
    found = set()
    for path in ADAPTERS.rglob("*.py"):
        text = path.read_text()
        found |= set(re.findall(r'"type"\s*(?::|\]\s*=)\s*"(\w+)"', text))
    return found


def test_every_kind_the_adapters_write_is_in_the_map_and_none_is_stale():
    assert _kinds_in_code() == set(KINDS)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_answers_every_question(name):
    kind = KINDS[name]
    assert [f.name for f in fields(Kind)] == ["client_data", "retention", "exported", "erased", "why"]
    assert all(isinstance(getattr(kind, f), bool) for f in ("client_data", "exported", "erased"))
    assert kind.retention.strip() and kind.why.strip()
    if kind.exported or kind.erased:
        assert kind.client_data  # only client data is exported or erased


def _one_of_every_kind(deps):
    store, now = deps.store, deps.clock.now()
    seeded(deps)  # settings, therapists with their sign-in and availability
    client, ahead = erasable_client(deps, TID)  # sessions, slots, history, messages, check-ins, inbox
    store.record_therapist_event(TID, AuditEvent(TID, now, "admin", "deactivated"))
    store.set_feed_key(TID, "feed-key-1")
    store.count_attempt("acct", store.get_therapist(TID).email, 1, 1, int(now.timestamp()) + 60)
    store.set_cursor("", now)
    store.claim_daily_text(client.id, now.date(), "run1", int(now.timestamp()) + 60)
    store.begin_inbound("sms", "inbound-1", "run1", now, now + timedelta(minutes=1), int(now.timestamp()) + 60)
    pending = store.messages_of(ahead[0].id)[0]
    store.table.put(codec_delivery.sent_lookup_item(pending, "provider-1"))
    entry = WaitlistEntry(client.id, TID, client.timezone, WaitlistPrefs(), now, now + timedelta(days=30),
                          name=f"{SENTINELS['first']} Q.")
    store.save_waitlist_entry(entry)
    store.table.put({**store.waitlist_left_record(entry).item, "pk": "CLIENT#other", "sk": "WAITLIST#done"})
    store.save_opening(Opening("open1", TID, now + timedelta(days=3), now + timedelta(days=3, minutes=50),
                               frozenset({Mode.TELE}), ahead[0].id, now))
    return client, ahead


def _owned(item, client_id, session_ids) -> bool:
    return client_id in (item.get("client_id"), item.get("id")) or item.get("appointment_id") in session_ids \
        or item["pk"] == f"CLIENT#{client_id}"


def _by_kind(deps, client_id, session_ids) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for item in deps.store.table._items.values():
        if _owned(item, client_id, session_ids):
            out.setdefault(item.get("type", "(untyped)"), []).append(item)
    return out


def test_an_export_holds_every_item_of_every_kind_that_says_it_is_exported(deps):
    client, _ = _one_of_every_kind(deps)
    export = export_client(deps, client.id, TID)
    sessions = {a.id for a in deps.store.all_client_sessions(client.id)}
    owned = _by_kind(deps, client.id, sessions)
    archive = zipfile.ZipFile(io.BytesIO(export.data))
    assert set(EXPORT_SECTION) == {name for name, kind in KINDS.items() if kind.exported}
    for name, section in EXPORT_SECTION.items():
        rows = json.loads(archive.read(f"{section}.json"))
        assert owned.get(name), f"the test wrote no {name} item"
        assert len(rows) == len(owned[name]), name


def test_erasure_leaves_no_client_value_in_the_kinds_that_say_they_are_erased(deps):
    client, _ = _one_of_every_kind(deps)
    sessions = {a.id for a in deps.store.all_client_sessions(client.id)}
    before = _by_kind(deps, client.id, sessions)
    erased = [name for name, kind in KINDS.items() if kind.erased]
    assert any(items_holding(before.get(name, []), SENTINELS.values()) for name in erased)  # found before
    erase_client(deps, client.id, TID)
    after = _by_kind(deps, client.id, sessions)
    for name in erased:
        assert items_holding(after.get(name, []), SENTINELS.values()) == [], name


def test_kinds_that_hold_no_client_data_hold_none_of_the_clients_values(deps):
    _one_of_every_kind(deps)
    for item in deps.store.table._items.values():
        if not KINDS[item["type"]].client_data:
            assert items_holding([item], SENTINELS.values()) == [], item["type"]


def test_the_test_practice_writes_one_item_of_every_kind_and_nothing_untyped(deps):
    client, _ = _one_of_every_kind(deps)
    seen = {item.get("type") for item in deps.store.table._items.values()}
    export_client(deps, client.id, TID)
    erase_client(deps, client.id, TID)  # the access log and the tombstone come with these
    seen |= {item.get("type") for item in deps.store.table._items.values()}
    assert seen == set(KINDS)
