"""At-risk rules and the outside-your-hours flag: plain functions over plain values."""
from dataclasses import replace
from datetime import date, time, timedelta

import pytest

from portal.domain.model import (
    Appointment, Availability, AvailabilityWindow, Barrier, InboxItem, Mode, Status, TimeOff,
)
from portal.domain.risk import CheckIn, outside_hours, risk_reasons
from tests import builders
from tests.conftest import T0

NY = "America/New_York"


def session(start, status=Status.SCHEDULED, aid="a1", client_id="cli001", **kw):
    return Appointment(aid, "ther01", client_id, start, start + timedelta(minutes=50), Mode.IN_PERSON,
                       status=status, **kw)


def kinds(appointment, history=(), inbox=(), checkin=None):
    return [r.kind for r in risk_reasons(appointment, list(history), list(inbox), checkin, T0, NY)]


@pytest.mark.parametrize("hours_ahead, status, at_risk", [
    (23, Status.SCHEDULED, True),
    (24, Status.SCHEDULED, True),
    (25, Status.SCHEDULED, False),  # still time for the 24-hour reminder to work
    (3, Status.CONFIRMED, False),
])
def test_not_confirmed_within_24_hours(hours_ahead, status, at_risk):
    assert ("unconfirmed" in kinds(session(T0 + timedelta(hours=hours_ahead), status))) is at_risk


@pytest.mark.parametrize("days_ago, status, at_risk", [
    (10, Status.NO_SHOW, True),
    (89, Status.LATE_CANCELLED, True),
    (91, Status.NO_SHOW, False),
    (10, Status.CANCELLED, False),  # cancelling in good time is what we hope clients do
    (10, Status.ATTENDED, False),
])
def test_a_missed_session_in_the_last_90_days(days_ago, status, at_risk):
    past = session(T0 - timedelta(days=days_ago), status, aid="old")
    future = session(T0 + timedelta(days=3), Status.CONFIRMED)
    assert ("history" in kinds(future, history=[past])) is at_risk


def test_history_reason_names_the_latest_miss_and_counts_them():
    history = [session(T0 - timedelta(days=d), Status.NO_SHOW, aid=f"h{d}") for d in (40, 12)]
    [reason] = risk_reasons(session(T0 + timedelta(days=3), Status.CONFIRMED), history, [], None, T0, NY)
    assert reason.text == "Missed a session on Wed Feb 18 (2 in 90 days)"


def test_a_barrier_on_the_session_or_an_unhandled_one_in_the_inbox():
    future = session(T0 + timedelta(days=3), Status.CONFIRMED)
    assert kinds(replace(future, barrier=Barrier.TRANSPORT)) == ["barrier"]
    sent = InboxItem("ther01", T0, "barrier", "cli001", barrier=Barrier.COST, id="i1")
    [reason] = risk_reasons(future, [], [sent], None, T0, NY)
    assert reason.text == "Reported: the cost"
    assert kinds(future, inbox=[replace(sent, handled=True)]) == []  # handled: no longer a flag
    assert kinds(future, inbox=[replace(sent, client_id="someone-else")]) == []


@pytest.mark.parametrize("score, at_risk", [(1, True), (2, True), (3, False), (5, False)])
def test_a_low_check_in_answer(score, at_risk):
    future = session(T0 + timedelta(days=3), Status.CONFIRMED)
    checkin = CheckIn(T0 - timedelta(days=1), score)
    assert ("checkin" in kinds(future, checkin=checkin)) is at_risk


def test_closed_sessions_are_never_at_risk():
    done = session(T0 + timedelta(hours=2), Status.CANCELLED, barrier=Barrier.COST)
    assert kinds(done, checkin=CheckIn(T0, 1)) == []


def test_several_reasons_are_all_given():
    soon = session(T0 + timedelta(hours=5), barrier=Barrier.ANXIETY)
    missed = session(T0 - timedelta(days=7), Status.NO_SHOW, aid="old")
    assert kinds(soon, [missed], [], CheckIn(T0, 2)) == ["unconfirmed", "history", "barrier", "checkin"]


def test_outside_hours_follows_windows_and_time_off():
    therapist = builders.therapist()
    tuesday_evening = Availability(windows=(AvailabilityWindow(1, time(17), time(20)),))
    # Tue 2026-03-03 17:00 New York is 22:00Z.
    inside = session(T0.replace(day=3, hour=22))
    assert not outside_hours(inside, tuesday_evening, therapist)
    late = session(T0.replace(day=3, hour=22) + timedelta(hours=2, minutes=30))  # ends 20:20 local
    assert outside_hours(late, tuesday_evening, therapist)
    assert outside_hours(inside, Availability(), therapist)
    day_off = replace(tuesday_evening, time_off=(TimeOff(date(2026, 3, 3), date(2026, 3, 3)),))
    assert outside_hours(inside, day_off, therapist)
    assert not outside_hours(replace(inside, status=Status.CANCELLED), Availability(), therapist)
