"""Open slots: windows minus booked time and buffers, time off, notice and horizon, across DST."""
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

from portal.domain.model import (
    Appointment,
    Availability,
    AvailabilityWindow,
    Mode,
    PracticeSettings,
    Status,
    TimeOff,
)
from portal.domain.slots import open_slots
from portal.domain.timemath import to_local
from tests import builders

SETTINGS = PracticeSettings(min_notice_hours=12, booking_horizon_days=14)
MON = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)  # Monday 09:00 in New York


def local_starts(slots, zone="America/New_York"):
    return [to_local(s.start, zone).strftime("%a %H:%M") for s in slots]


def one_window(weekday, start, end, modes=builders.BOTH):
    return Availability(windows=(AvailabilityWindow(weekday, start, end, modes),))


def test_slots_step_by_session_plus_buffer_inside_the_window():
    t = builders.therapist()
    slots = open_slots(t, one_window(1, time(9), time(12)), [], SETTINGS, MON)
    assert local_starts(slots)[:3] == ["Tue 09:00", "Tue 10:00", "Tue 11:00"]
    assert all(s.end - s.start == timedelta(minutes=50) for s in slots)


def test_booked_time_and_its_buffer_are_not_offered():
    t = builders.therapist()
    booked = Appointment("a1", t.id, "c1", datetime(2026, 3, 3, 15, 0, tzinfo=timezone.utc),
                         datetime(2026, 3, 3, 15, 50, tzinfo=timezone.utc), Mode.TELE)
    slots = open_slots(t, one_window(1, time(9), time(12)), [booked], SETTINGS, MON)
    assert local_starts(slots)[:2] == ["Tue 09:00", "Tue 11:00"]
    cancelled = replace(booked, status=Status.CANCELLED)
    assert "Tue 10:00" in local_starts(open_slots(t, one_window(1, time(9), time(12)), [cancelled], SETTINGS, MON))


def test_minimum_notice_and_horizon():
    t = builders.therapist()
    every_day = Availability(windows=tuple(AvailabilityWindow(d, time(9), time(17)) for d in range(7)))
    slots = open_slots(t, every_day, [], SETTINGS, MON)
    assert slots[0].start >= MON + timedelta(hours=12)
    assert slots[-1].start <= MON + timedelta(days=14)
    assert local_starts(slots)[0] == "Tue 09:00"  # Monday's later hours are inside the notice


def test_time_off_removes_whole_days():
    t = builders.therapist()
    a = replace(builders.weekday_availability(), time_off=(TimeOff(date(2026, 3, 3), date(2026, 3, 4)),))
    days = {to_local(s.start, t.timezone).date() for s in open_slots(t, a, [], SETTINGS, MON)}
    assert date(2026, 3, 3) not in days and date(2026, 3, 4) not in days and date(2026, 3, 5) in days


def test_only_modes_offered_in_that_window():
    t = builders.therapist()
    a = Availability(windows=(AvailabilityWindow(1, time(9), time(11), frozenset({Mode.TELE})),
                              AvailabilityWindow(1, time(17), time(19))))
    slots = open_slots(t, a, [], SETTINGS, MON)
    assert {s.modes for s in slots} == {frozenset({Mode.TELE}), builders.BOTH}
    in_person = open_slots(t, a, [], SETTINGS, MON, mode=Mode.IN_PERSON)
    assert local_starts(in_person)[:2] == ["Tue 17:00", "Tue 18:00"]
    assert in_person[0].labels(t.timezone) == ["Evening"]


def test_spring_forward_keeps_local_hours_and_skips_missing_times():
    t = builders.therapist()
    # Sunday 2026-03-08 is the spring-forward day; a window 01:00-05:00 loses 02:00-03:00.
    sat = datetime(2026, 3, 7, 6, 0, tzinfo=timezone.utc)
    slots = open_slots(t, one_window(6, time(1), time(5)), [], SETTINGS, sat)
    first_sunday = [s for s in slots if to_local(s.start, t.timezone).date() == date(2026, 3, 8)]
    assert local_starts(first_sunday) == ["Sun 01:00", "Sun 03:00", "Sun 04:00"]
    weekday = open_slots(t, one_window(0, time(9), time(10)), [], SETTINGS, sat)
    # Monday 09:00 is 14:00 UTC before the change and 13:00 UTC after it.
    assert weekday[0].start == datetime(2026, 3, 9, 13, 0, tzinfo=timezone.utc)


def test_fall_back_keeps_local_hours():
    t = builders.therapist()
    before = datetime(2026, 10, 30, 12, 0, tzinfo=timezone.utc)
    slots = open_slots(t, one_window(0, time(9), time(10)), [], SETTINGS, before)
    # Monday 2026-11-02 09:00 is EST now: 14:00 UTC (it was 13:00 UTC the week before).
    assert slots[0].start == datetime(2026, 11, 2, 14, 0, tzinfo=timezone.utc)
    sunday = open_slots(t, one_window(6, time(0), time(3)), [], SETTINGS, before)
    nov1 = [s for s in sunday if to_local(s.start, t.timezone).date() == date(2026, 11, 1)]
    assert len({s.start for s in nov1}) == len(nov1)  # no duplicate instants in the repeated hour
    assert all(b.start - a.start >= timedelta(minutes=60) for a, b in zip(nov1, nov1[1:]))


def test_client_zone_differs_from_therapist_zone():
    t = builders.therapist()
    slots = open_slots(t, one_window(1, time(9), time(10)), [], SETTINGS, MON)
    assert local_starts(slots, "America/Los_Angeles")[0] == "Tue 06:00"
    assert local_starts(slots, "Europe/London")[0] == "Tue 14:00"
