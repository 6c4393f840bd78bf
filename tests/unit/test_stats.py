"""Attendance figures: rates over 30 and 90 days, per therapist, by weekday and hour, barriers, CSV."""
import csv
import io
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from portal.domain.audit import AuditEvent
from portal.domain.model import Appointment, Barrier, InboxItem, Mode, Status
from portal.services.workspace.figures import attendance_figures, figures_csv
from tests import builders
from tests.conftest import T0


def put(store, aid, start, status, therapist="ther01", client="cli001", **kw):
    appt = Appointment(aid, therapist, client, start, start + timedelta(minutes=50), Mode.IN_PERSON,
                       status=status, **kw)
    store.book(appt, appt.end + timedelta(minutes=10), [], AuditEvent(aid, T0, "test", "booked"))
    return appt


@pytest.fixture
def practice(store):
    maya, _ = builders.practice(store, t=builders.therapist("ther01", role="admin"))
    sam, _ = builders.practice(store, t=builders.therapist("ther02", name="Sam Okafor"),
                               c=builders.client("cli002", tid="ther02"))
    # Tuesdays at 18:00 New York (23:00Z), weeks back from T0 (Mon 2 March 2026).
    tuesday = datetime(2026, 2, 24, 23, 0, tzinfo=timezone.utc)
    put(store, "m1", tuesday, Status.ATTENDED, confirmed_via="link")
    put(store, "m2", tuesday - timedelta(weeks=1), Status.NO_SHOW)
    put(store, "m3", tuesday - timedelta(weeks=2), Status.ATTENDED, confirmed_via="sms")
    put(store, "m4", tuesday - timedelta(weeks=3), Status.LATE_CANCELLED, barrier=Barrier.TRANSPORT)
    put(store, "m5", tuesday - timedelta(weeks=8), Status.ATTENDED, confirmed_via="therapist")  # 62 days ago
    put(store, "m6", tuesday - timedelta(weeks=14), Status.NO_SHOW)  # older than 90 days: not counted
    put(store, "m7", tuesday + timedelta(days=1), Status.CANCELLED, barrier=Barrier.COST)  # in good time
    put(store, "m8", tuesday + timedelta(hours=1), Status.CONFIRMED, confirmed_via="link")  # not yet marked
    put(store, "m9", T0 + timedelta(days=2), Status.CONFIRMED, confirmed_via="link")  # future: not counted
    # Sam: Saturday mornings at 10:00 (15:00Z).
    put(store, "s1", datetime(2026, 2, 28, 15, 0, tzinfo=timezone.utc), Status.ATTENDED,
        therapist="ther02", client="cli002")
    put(store, "s2", datetime(2026, 2, 21, 15, 0, tzinfo=timezone.utc), Status.ATTENDED,
        therapist="ther02", client="cli002", confirmed_via="link")
    # The same transport barrier arrives in the inbox too: counted once. A cost note comes on its own.
    store.add_inbox(InboxItem("ther01", T0 - timedelta(days=20), "barrier", "cli001", "m4",
                              Barrier.TRANSPORT, id="in1"))
    store.add_inbox(InboxItem("ther02", T0 - timedelta(days=3), "barrier", "cli002", "",
                              Barrier.COST, "Money is tight", id="in2"))
    return store.get_therapist("ther01"), store.get_therapist("ther02")


def test_practice_rates_over_30_and_90_days(deps, practice):
    maya, _ = practice
    figures = attendance_figures(deps, maya)
    last30, last90 = figures.practice[30], figures.practice[90]
    # 30 days: m1 m2 m3 m4 (due), m7 (early cancel, left out), m8 (unmarked), s1 s2.
    assert (last30.due, last30.unmarked) == (6, 1)
    assert last30.rate(Status.ATTENDED) == pytest.approx(4 / 6)
    assert last30.rate(Status.NO_SHOW) == pytest.approx(1 / 6)
    assert last30.rate(Status.LATE_CANCELLED) == pytest.approx(1 / 6)
    # From a reminder: m1 (link), m3 (sms), m8 (link), s2 (link) of the 7 kept to their time.
    assert (last30.from_reminder, last30.kept_to_time) == (4, 7)
    assert last90.due == 7 and last90.rate(Status.ATTENDED) == pytest.approx(5 / 7)


def test_per_therapist_figures_admin_sees_everyone_others_themselves(deps, practice):
    maya, sam = practice
    as_admin = attendance_figures(deps, maya)
    assert [t.id for t, _ in as_admin.therapists] == ["ther01", "ther02"]
    by_id = {t.id: rates for t, rates in as_admin.therapists}
    assert by_id["ther02"][30].rate(Status.ATTENDED) == 1.0
    assert by_id["ther01"][90].due == 5
    as_sam = attendance_figures(deps, sam)
    assert [t.id for t, _ in as_sam.therapists] == ["ther02"]
    assert as_sam.practice[90].due == as_admin.practice[90].due  # the practice totals are shared


def test_by_weekday_and_hour_in_the_practice_zone(deps, practice):
    figures = attendance_figures(deps, practice[0])
    weekday = {b.label: (b.due, b.missed) for b in figures.by_weekday}
    assert weekday == {"Tuesday": (5, 2), "Saturday": (2, 0)}
    hour = {b.label: (b.due, b.missed) for b in figures.by_hour}
    assert hour == {"10 AM": (2, 0), "6 PM": (5, 2)}  # 12-hour, as everywhere


def test_barriers_by_kind_each_session_once(deps, practice):
    figures = attendance_figures(deps, practice[0])
    assert figures.barriers == [(Barrier.TRANSPORT, 1), (Barrier.COST, 2)]


def test_no_sessions_gives_empty_rates_not_errors(deps, store):
    t, _ = builders.practice(store)
    figures = attendance_figures(deps, t)
    assert figures.practice[30].rate(Status.ATTENDED) is None
    assert figures.practice[30].reminder_share is None
    assert "attendance,Practice,30,attended_rate," in figures_csv(figures)


def test_csv_export_holds_the_same_numbers(deps, store, practice):
    store.update_therapist(replace(practice[1], name="=HYPERLINK(evil)"))
    rows = list(csv.DictReader(io.StringIO(figures_csv(attendance_figures(deps, practice[0])))))
    look = {(r["section"], r["scope"], r["period_days"], r["measure"]): r["value"] for r in rows}
    assert look[("attendance", "Practice", "30", "sessions_due")] == "6"
    assert look[("attendance", "Practice", "30", "no_show_rate")] == "0.167"
    assert look[("attendance", "Practice", "30", "confirmed_from_reminder_share")] == "0.571"
    assert look[("attendance", "'=HYPERLINK(evil)", "90", "attended_rate")] == "1.000"
    assert look[("weekday", "Practice", "90", "Tuesday missed_rate")] == "0.400"
    assert look[("barrier", "Practice", "90", "cost")] == "2"
