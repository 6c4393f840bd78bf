"""The dashboard service: the week ahead with confirmation state and at-risk reasons, and the inbox."""
from datetime import datetime, time, timedelta, timezone

from portal.adapters.codec import records as codec_records
from portal.domain.audit import AuditEvent
from portal.domain.checkins import CheckIn
from portal.domain.model import Appointment, Availability, AvailabilityWindow, Barrier, InboxItem, Mode, Status
from portal.services.workspace.dashboard import latest_checkin, week_ahead
from tests import builders
from tests.conftest import T0


def put(store, aid, start, status=Status.SCHEDULED, client="cli001", **kw):
    appt = Appointment(aid, "ther01", client, start, start + timedelta(minutes=50), Mode.IN_PERSON,
                       status=status, **kw)
    store.book(appt, appt.end + timedelta(minutes=10), [], AuditEvent(aid, T0, "test", "booked"))
    return appt


def checkin(store, client_id, at, score):
    store.record_checkin(client_id, CheckIn(at, score), "appt01", "ther01")


def rows_by_id(view):
    return {r.appointment.id: r for d in view.days for r in d.sessions}


def test_today_and_the_next_seven_days_with_state_and_risk(deps, store):
    therapist, alex = builders.practice(store)
    for cid, first in (("cli002", "Jordan"), ("cli003", "Priya"), ("cli004", "Sam")):
        store.add_client(builders.client(cid, first_name=first))
    put(store, "old", T0 - timedelta(days=20), Status.NO_SHOW, client="cli002")
    put(store, "soon", T0 + timedelta(hours=3))  # Mon 14:00 NY, not confirmed
    put(store, "ok", T0 + timedelta(days=1), Status.CONFIRMED, confirmed_via="link")
    put(store, "moved", T0 + timedelta(days=2), Status.CONFIRMED, changed_by_client=True, client="cli004")
    put(store, "hist", T0 + timedelta(days=3), Status.CONFIRMED, client="cli002")
    put(store, "low", T0 + timedelta(days=4), Status.CONFIRMED, client="cli003")
    put(store, "later", T0 + timedelta(days=9))  # beyond the week
    checkin(store, "cli003", T0 - timedelta(days=5), 4)
    checkin(store, "cli003", T0 - timedelta(days=1), 2)  # the newest answer counts
    view = week_ahead(deps, [therapist])
    assert len(view.days) == 8 and view.days[0].day.isoformat() == "2026-03-02"
    rows = rows_by_id(view)
    assert set(rows) == {"soon", "ok", "moved", "hist", "low"}
    assert rows["soon"].confirmation == "Not yet confirmed"
    # Nobody here has two attended sessions: "first session" is a reason on every row.
    assert [r.kind for r in rows["soon"].reasons] == ["early"]  # Alex has no habit of confirming yet
    assert rows["ok"].confirmation == "Confirmed" and [r.kind for r in rows["ok"].reasons] == ["early"]
    assert not rows["ok"].at_risk  # Low
    assert rows["moved"].appointment.changed_by_client
    assert [r.text for r in rows["hist"].reasons] == ["Missed their last session, on Tue Feb 10",
                                                      "First session with you"]
    assert [r.text for r in rows["low"].reasons][0] == "Rated their week 2 of 5 on Sun Mar 1"
    assert [r.appointment.id for r in view.at_risk] == ["hist", "low"]  # "soon": a first session, no more
    # Reach out today: highest score first (the no-show's odds ratio is the largest).
    assert [r.appointment.id for r in view.reach_out] == ["hist", "low"]
    assert rows["soon"].client_name == "Alex Rivera"
    deps.clock.advance(timedelta(hours=4))  # "soon" has started and nobody has marked it
    assert rows_by_id(week_ahead(deps, [therapist]))["soon"].confirmation == "Attendance not marked yet"


def test_inbox_newest_first_and_an_unhandled_barrier_flags_the_session(deps, store):
    therapist, alex = builders.practice(store)
    put(store, "next", T0 + timedelta(days=2), Status.CONFIRMED)
    store.add_inbox(InboxItem("ther01", T0 - timedelta(days=2), "note", "cli001", text="Running late", id="n1"))
    store.add_inbox(InboxItem("ther01", T0 - timedelta(hours=1), "barrier", "cli001", "next",
                              Barrier.TRANSPORT, id="b1"))
    view = week_ahead(deps, [therapist])
    assert [r.item.id for r in view.inbox] == ["b1", "n1"]
    assert [r.text for r in rows_by_id(view)["next"].reasons][0] == \
        "Said this is in the way: getting there (transportation)"
    assert [r.item.id for r in view.new_inbox] == ["b1", "n1"]
    store.mark_inbox_handled(view.inbox[0].item)
    after = week_ahead(deps, [therapist])
    assert [r.kind for r in rows_by_id(after)["next"].reasons] == ["early"]
    assert [r.item.id for r in after.handled_inbox] == ["b1"]


def test_sessions_outside_new_hours_are_flagged_not_moved(deps, store):
    therapist, _ = builders.practice(store)
    put(store, "morning", datetime(2026, 3, 3, 15, 0, tzinfo=timezone.utc), Status.CONFIRMED)  # Tue 10:00
    store.save_availability(therapist.id, Availability(
        windows=(AvailabilityWindow(1, time(17), time(20)),), version=0))
    row = rows_by_id(week_ahead(deps, [therapist]))["morning"]
    assert row.outside_hours and row.appointment.start == datetime(2026, 3, 3, 15, tzinfo=timezone.utc)


def test_everyone_view_merges_therapists_in_time_order(deps, store):
    maya, _ = builders.practice(store)
    sam, _ = builders.practice(store, t=builders.therapist("ther02", name="Sam"),
                               c=builders.client("cli009", tid="ther02"))
    put(store, "m", T0 + timedelta(days=1, hours=2))
    appt = Appointment("s", "ther02", "cli009", T0 + timedelta(days=1), T0 + timedelta(days=1, minutes=50),
                       Mode.TELE)
    store.book(appt, appt.end, [], AuditEvent("s", T0, "test", "booked"))
    view = week_ahead(deps, [maya, sam])
    assert [(r.appointment.id, r.therapist.id) for r in view.days[1].sessions] == [("s", "ther02"), ("m", "ther01")]


def test_a_malformed_check_in_record_is_ignored(deps, store):
    malformed = codec_records.checkin_to_item("cli001", CheckIn(T0 - timedelta(days=1), 1), "appt01", "ther01")
    store.table.put({**malformed, "score": "high"})  # written by hand, or by an older version
    assert latest_checkin(deps, "cli001") is None
    checkin(store, "cli001", T0, 1)
    assert latest_checkin(deps, "cli001").score == 1
