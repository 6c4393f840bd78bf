"""The outside-your-hours flag: a plain function over plain values. (The risk score has its
own tests in test_risk_score.py.)"""
from dataclasses import replace
from datetime import date, time, timedelta

from portal.domain.model import Appointment, Availability, AvailabilityWindow, Mode, Status, TimeOff
from portal.domain.slots import outside_hours
from tests import builders
from tests.conftest import T0


def session(start, status=Status.SCHEDULED, aid="a1", client_id="cli001", **kw):
    return Appointment(aid, "ther01", client_id, start, start + timedelta(minutes=50), Mode.IN_PERSON,
                       status=status, **kw)


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
