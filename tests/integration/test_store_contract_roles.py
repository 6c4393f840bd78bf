"""The store contract, continued: the waitlist, privacy, check-in, imports and record roles,
on both stores (the fixture of test_store_contract.py). The last test holds the suite to
naming every public method of Store."""
import inspect
import re
from datetime import timedelta
from pathlib import Path

import pytest

from portal.adapters.store import Store
from portal.adapters.tables.memory import MemoryTable
from portal.domain.audit import AuditEvent
from portal.domain.checkins import CheckIn
from portal.domain.messages import PENDING, PendingMessage
from portal.domain.model import Appointment, Barrier, Channel, InboxItem, Mode, Status
from portal.domain.privacy import Tombstone
from portal.domain.waitlist import OfferRef, Opening, WaitlistEntry, WaitlistPrefs
from tests import builders
from tests.conftest import T0
from tests.integration.test_store_contract import appointment, audit

HERE = Path(__file__).parent


@pytest.fixture(params=["memory", "dynamodb"])
def any_store(request, clock):
    if request.param == "memory":
        return Store(MemoryTable(), clock=clock)
    from tests.stack import deployed_container

    return deployed_container(request.getfixturevalue("moto_endpoint"), clock=clock).store


def _entry(client_id="cli001", **kw):
    return WaitlistEntry(client_id, "ther01", "America/New_York", WaitlistPrefs(), T0, T0 + timedelta(days=30),
                         name="Alex R.", **kw)


def _opening(version=1, oid="open01"):
    return Opening(oid, "ther01", T0 + timedelta(days=3), T0 + timedelta(days=3, minutes=50),
                   frozenset({Mode.TELE}), "appt01", T0, version=version)


def test_waitlist_entries_openings_and_an_offer_page_in_one_read(any_store):
    t, c = builders.practice(any_store)
    entry = _entry()
    any_store.save_waitlist_entry(entry)
    assert any_store.waitlist_entry(c.id, consistent=True) == entry
    assert any_store.waitlist_of(t.id) == [entry]
    any_store.table.put(any_store.opening_record(_opening()).item)  # as a freeing change writes it
    assert any_store.save_opening(_opening(2)) and not any_store.save_opening(_opening(2))  # version read
    assert any_store.get_opening("open01", consistent=True) == _opening(2)
    assert any_store.openings_of(t.id, T0, T0 + timedelta(days=7)) == [_opening(2)]
    assert any_store.openings_of(t.id, T0 + timedelta(days=4), T0 + timedelta(days=7)) == []
    any_store.note_offer(c.id, OfferRef("open01", T0 + timedelta(hours=2)))
    page = any_store.load_offer("open01", c.id, t.id)
    assert (page.opening, page.client, page.therapist) == (_opening(2), c, t)
    assert page.entry.offer == OfferRef("open01", T0 + timedelta(hours=2))
    assert page.availability == any_store.get_availability(t.id) and page.settings == any_store.get_settings()
    assert any_store.remove_waitlist_entry(c.id) and not any_store.remove_waitlist_entry(c.id)
    any_store.note_offer(c.id, OfferRef("open01", T0))  # the client left: nothing comes back
    assert any_store.waitlist_entry(c.id, consistent=True) is None and any_store.waitlist_of(t.id) == []
    assert any_store.load_offer("open01", c.id, t.id).entry is None


def test_records_written_with_a_change_land_with_it(any_store):
    t, c = builders.practice(any_store)
    entry = _entry()
    any_store.save_waitlist_entry(entry)
    wave = PendingMessage("appt01", "offer", Channel.EMAIL, T0 + timedelta(minutes=5), detail={"opening": "open02"})
    note = InboxItem(t.id, T0, "note", c.id, "appt01", Barrier.COST, "a note", id="inbox01")
    extra = (any_store.waitlist_left_record(entry), any_store.opening_record(_opening(oid="open02")),
             any_store.offer_message_record(wave), any_store.inbox_record(note),
             any_store.message_record(PendingMessage("appt01", "thanks", Channel.EMAIL, T0 + timedelta(hours=1))))
    assert any_store.waitlist_from_item(extra[0].item) is None  # a done entry is no entry
    appt = appointment("appt01")
    any_store.book(appt, appt.end, [], audit(appt.id), extra=list(extra))  # one transaction
    any_store.add_audit(AuditEvent("appt01", T0 + timedelta(minutes=1), "therapist", "noted", "test"))
    assert any_store.waitlist_entry(c.id, consistent=True) is None  # the done record replaced it
    assert any_store.get_opening("open02", consistent=True).id == "open02"
    assert {m.kind for m in any_store.messages_of("appt01")} == {"offer", "thanks"}
    assert [i.id for i in any_store.inbox(t.id)] == ["inbox01"]
    assert [e.action for e in any_store.audit_trail("appt01")] == ["booked", "noted"]
    any_store.defer_notice(PendingMessage("appt01", "thanks", Channel.EMAIL, T0 + timedelta(hours=2)))
    assert [m.due_at for m in any_store.messages_of("appt01") if m.kind == "thanks"] == [T0 + timedelta(hours=2)]


def test_offers_a_day_are_capped_and_held_per_opening(any_store):
    day = T0.date()
    assert any_store.claim_offer_day("cli001", day, "open01", int(T0.timestamp()) + 3600)
    assert any_store.claim_offer_day("cli001", day, "open01", int(T0.timestamp()) + 3600)  # the same one again
    assert any_store.claim_offer_day("cli001", day, "open02", int(T0.timestamp()) + 3600)
    assert not any_store.claim_offer_day("cli001", day, "open03", int(T0.timestamp()) + 3600)  # the cap
    assert any_store.claim_offer_day("cli001", day + timedelta(days=1), "open03", int(T0.timestamp()) + 3600)


def test_export_reads_and_erasure_writes(any_store):
    t, c = builders.practice(any_store)
    past = Appointment("past01", t.id, c.id, T0 - timedelta(days=7), T0 - timedelta(days=7, minutes=-50),
                       Mode.IN_PERSON, status=Status.CANCELLED, note="private", barrier=Barrier.COST)
    assert any_store.record_past_sessions([(past, AuditEvent(past.id, past.start, "client", "cancelled", "link",
                                                             {"note": "private", "kept": 1}))]) == {"past01"}
    assert any_store.record_past_sessions([(past, audit(past.id))]) == set()  # already there
    any_store.put_message(PendingMessage("past01", "r24", Channel.EMAIL, past.start, status=PENDING,
                                         detail={"client": c.id}))
    any_store.record_checkin(c.id, CheckIn(T0 - timedelta(days=1), 2, "cost", "tired"), "past01", t.id)
    any_store.add_inbox(InboxItem(t.id, T0, "note", c.id, "past01", Barrier.COST, "a text", id="in1"))
    assert [a.id for a in any_store.all_client_sessions(c.id)] == ["past01"]
    history, messages = any_store.session_records("past01")
    assert [e.action for e in history] == ["cancelled"] and [m.kind for m in messages] == ["r24"]
    assert [a.note for a in any_store.all_checkins(c.id)] == ["tired"]
    assert any_store.checkin_answer_for(c.id, "past01").note == "tired"
    assert any_store.checkin_answer_for(c.id, "other") is None
    assert any_store.availability_with_checkins(t.id, [c.id])[1][c.id].score == 2
    assert [i.text for i in any_store.client_inbox(t.id, c.id)] == ["a text"]
    any_store.erase_session_text("past01")
    assert any_store.get_appointment("past01").note == "" and any_store.get_appointment("past01").barrier
    history, messages = any_store.session_records("past01")
    assert history[0].detail == {"kept": 1} and messages[0].detail == {}
    assert any_store.erase_checkins(c.id) == 1 and any_store.all_checkins(c.id) == []
    assert any_store.latest_checkins([c.id]) == {}
    any_store.erase_inbox_text(t.id, c.id)
    assert [i.text for i in any_store.client_inbox(t.id, c.id)] == [""]
    assert any_store.tombstone(c.id) is None
    stone = Tombstone(c.id, T0, "admin")
    assert any_store.erase_client_profile(c.id, c.email, stone)
    assert not any_store.erase_client_profile(c.id, c.email, stone)  # the second run changes nothing
    assert any_store.tombstone(c.id) == stone
    erased = any_store.get_client(c.id)
    assert (erased.erased, erased.first_name, erased.email) == (True, "Erased", "")
    assert any_store.clients_by_email(c.email) == []


def test_imports_skip_what_is_stored_and_session_keys_are_set_alone(any_store):
    t = builders.therapist()
    any_store.add_therapist(t, builders.weekday_availability())
    a, b = builders.client("cli001"), builders.client("cli002", first_name="Bo")
    assert any_store.add_clients([a, b, a]) == {"cli001", "cli002"}
    assert any_store.add_clients([a]) == set()
    assert sorted(x.id for x in any_store.clients_by_email(a.email)) == ["cli001", "cli002"]
    any_store.set_session_key(t.id, "sk1")
    assert any_store.get_therapist(t.id).session_key == "sk1"


def test_expiry_reads_as_absent_on_the_stores_clock(any_store):
    now = any_store.now()
    gone, kept = {"expires_at": int(now.timestamp())}, {"expires_at": int(now.timestamp()) + 1}
    assert any_store.live(gone) is None and any_store.live(kept) == kept and any_store.live(None) is None
    assert any_store.live_items([gone, kept, {}]) == [kept, {}]
    assert any_store.expired_by_now().value == int(now.timestamp()) + 1


def _contract_suite() -> str:
    """Every test module here that runs on both stores."""
    return "\n".join(p.read_text() for p in sorted(HERE.glob("test_*.py"))
                     if "any_store" in p.read_text())


def test_the_contract_suite_names_every_public_method_of_the_store():
    text = _contract_suite()
    public = sorted(n for n, v in inspect.getmembers(Store) if not n.startswith("_") and callable(v))
    assert [n for n in public if not re.search(r"\." + n + r"\b", text)] == []
