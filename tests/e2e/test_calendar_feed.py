"""The therapist's private calendar feed: one Query, names as first name + last initial, no
notes or barriers, revoked by rotation, and no one else's feed from a forged token."""
from collections import Counter
from dataclasses import replace

import pytest

from portal.domain.model import Barrier
from portal.services.sessions import calendar_feed
from tests.workspace_support import MAYA, SAM, Web, app_on, seeded


@pytest.fixture
def practice(deps):
    return seeded(deps)


def _feed_path(url: str) -> str:
    return url.removeprefix("https://portal.test")


def test_a_therapist_makes_an_address_and_a_calendar_app_reads_it_without_signing_in(practice):
    app = app_on(practice)
    maya = Web(app)
    maya.login(MAYA)
    assert "no calendar address yet" in maya.get("/t/calendar-feed").get_data(as_text=True)
    assert maya.post("/t/calendar-feed").status_code == 302
    url = calendar_feed.feed_url(practice, practice.store.get_therapist("mchen1"))
    assert url and url in maya.get("/t/calendar-feed").get_data(as_text=True)
    answer = app.test_client().get(_feed_path(url))  # no cookie: a calendar app
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.get_data(as_text=True)
    assert "SUMMARY:Alex R. (" in body and "Rivera" not in body
    mine = practice.store.therapist_appointments("mchen1", practice.clock.now(),
                                                 practice.clock.now().replace(year=2027))
    assert body.count("BEGIN:VEVENT") == len([a for a in mine if a.status.is_open])
    sams = {a.client_label for a in practice.store.therapist_appointments(
        "sokaf1", practice.clock.now(), practice.clock.now().replace(year=2027))}
    assert not any(f"SUMMARY:{label} (" in body for label in sams)


def test_notes_and_barriers_never_reach_the_feed(practice):
    store = practice.store
    calendar_feed.rotate(practice, store.get_therapist("mchen1"))
    upcoming = store.therapist_appointments("mchen1", practice.clock.now(),
                                            practice.clock.now().replace(year=2027))[0]
    ctx = store.load_context(upcoming.id, upcoming.client_id, upcoming.therapist_id)
    from portal.domain.audit import AuditEvent
    from portal.interfaces import AppointmentChange
    after = replace(upcoming, note="Struggling with money this month", barrier=Barrier.COST,
                    version=upcoming.version + 1)
    store.commit(AppointmentChange(before=upcoming, after=after, before_hold_end=ctx.hold_end,
                                   after_hold_end=ctx.hold_end, messages=[],
                                   before_message_keys=ctx.message_keys, keep_messages=True,
                                   audit=AuditEvent(upcoming.id, practice.clock.now(), "system", "noted")))
    url = calendar_feed.feed_url(practice, store.get_therapist("mchen1"))
    body = app_on(practice).test_client().get(_feed_path(url)).get_data(as_text=True)
    assert "money" not in body.lower() and "cost" not in body.lower() and "BEGIN:VEVENT" in body


def test_reading_the_feed_is_one_query(practice, monkeypatch):
    store = practice.store
    url = calendar_feed.rotate(practice, store.get_therapist("mchen1"))
    calls = Counter()
    for name in ("get", "batch_get", "query", "put", "update", "transact"):
        original = getattr(store.table, name)
        monkeypatch.setattr(store.table, name,
                            lambda *a, _o=original, _n=name, **k: (calls.update([_n]), _o(*a, **k))[1])
    assert app_on(practice).test_client().get(_feed_path(url)).status_code == 200
    assert calls == Counter(query=1)


def test_rotating_kills_the_old_address_and_forged_or_colleague_tokens_get_404(practice):
    store, links = practice.store, practice.links
    old = calendar_feed.rotate(practice, store.get_therapist("mchen1"))
    sams = calendar_feed.rotate(practice, store.get_therapist("sokaf1"))
    web = app_on(practice).test_client()
    assert web.get(_feed_path(old)).status_code == 200
    new = calendar_feed.rotate(practice, store.get_therapist("mchen1"))
    assert web.get(_feed_path(old)).status_code == 404
    assert web.get(_feed_path(new)).status_code == 200
    sam_key = store.feed_key("sokaf1")
    assert web.get(f"/t/feed/{links.feed_token('mchen1', sam_key)}.ics").status_code == 404
    token = _feed_path(new).removeprefix("/t/feed/").removesuffix(".ics")
    assert web.get(f"/t/feed/{token[:-2]}xx.ics").status_code == 404  # tampered signature
    assert web.get(f"/t/feed/{'x' * 5000}.ics").status_code == 404
    assert web.get(_feed_path(sams)).status_code == 200  # Sam's own still works
    sam = Web(app_on(practice))
    sam.login(SAM)
    sam.post("/t/calendar-feed")  # Sam rotating his own leaves Maya's alone
    assert web.get(_feed_path(new)).status_code == 200 and web.get(_feed_path(sams)).status_code == 404
