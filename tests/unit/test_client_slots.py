"""Reschedule times as the client sees them, on the fakes: the therapist's windows minus booked
time and buffers, time off, notice and horizon; grouped by the client's days across DST."""
from datetime import date, datetime, time, timedelta, timezone

from portal.clock import FixedClock
from portal.domain.audit import Actor
from portal.domain.model import Availability, AvailabilityWindow, Mode, PracticeSettings, TimeOff
from portal.domain.timemath import to_local
from portal.interfaces import Deps
from portal.services.sessions import open_times
from portal.services.sessions.booking import record_booking
from tests import builders
from tests.conftest import T0

EVERY_DAY = tuple(range(7))


def setup(store, *, windows, client_zone="America/New_York", therapist_zone="America/New_York",
          time_off=(), settings=None, **therapist_kw):
    store.save_settings(settings or PracticeSettings(min_notice_hours=12, booking_horizon_days=14))
    t = builders.therapist(zone=therapist_zone, **therapist_kw)
    store.add_therapist(t, Availability(windows=windows, time_off=time_off))
    c = builders.client(tid=t.id, zone=client_zone)
    store.add_client(c)
    return t, c


def session(deps, t, c, start, client=None):
    a = record_booking(deps, t, client or c, start, Mode.IN_PERSON, actor=Actor.system("test"))
    return deps.store.load_context(a.id, a.client_id, t.id)


def local(slots, zone="America/New_York", fmt="%a %d %H:%M"):
    return [to_local(s.start, zone).strftime(fmt) for s in slots]


def window(day, start, end, modes=builders.BOTH):
    return AvailabilityWindow(day, start, end, modes)


def test_booked_time_and_its_buffer_are_left_out_but_the_own_time_is_not_offered(deps, store):
    t, c = setup(store, windows=(window(2, time(9), time(13)),), buffer_minutes=10)
    wed_10 = T0 + timedelta(days=2, hours=1)
    mine = session(deps, t, c, T0 + timedelta(days=2))  # Wednesday 09:00
    other = builders.client(cid="cli002", tid=t.id)
    store.add_client(other)
    session(deps, t, c, wed_10 + timedelta(hours=1), client=other)  # 11:00, holds to 12:00
    slots = open_times.free_times(deps, mine)
    # 09:00 is this session's own; 11:00 is taken; 12:00 starts as the other's buffer ends.
    assert local(slots) == ["Wed 04 10:00", "Wed 04 12:00",
                            "Wed 11 09:00", "Wed 11 10:00", "Wed 11 11:00", "Wed 11 12:00"]


def test_a_longer_buffer_pushes_the_next_start(deps, store):
    t, c = setup(store, windows=(window(2, time(9), time(12)),), buffer_minutes=30)
    ctx = session(deps, t, c, T0 + timedelta(days=9))  # next week, out of the way
    assert local(open_times.free_times(deps, ctx))[:2] == ["Wed 04 09:00", "Wed 04 10:20"]


def test_time_off_minimum_notice_and_horizon(deps, store, clock):
    t, c = setup(store, windows=tuple(window(d, time(9), time(17)) for d in EVERY_DAY),
                 time_off=(TimeOff(date(2026, 3, 4), date(2026, 3, 5)),))
    ctx = session(deps, t, c, T0 + timedelta(days=6))
    slots = open_times.free_times(deps, ctx)
    days = {to_local(s.start, c.timezone).date() for s in slots}
    assert date(2026, 3, 4) not in days and date(2026, 3, 5) not in days
    assert slots[0].start >= clock.now() + timedelta(hours=12)  # Monday 21:00: Tuesday 09:00 first
    assert local(slots)[0] == "Tue 03 09:00"
    assert slots[-1].start <= clock.now() + timedelta(days=14)


def test_spring_forward_keeps_the_therapists_hours_and_the_clients_day(deps, store):
    t, c = setup(store, windows=(window(0, time(9), time(11)), window(6, time(1), time(5))),
                 settings=PracticeSettings(min_notice_hours=0, booking_horizon_days=10))
    ctx = session(deps, t, c, T0 + timedelta(days=1))
    slots = open_times.free_times(deps, ctx)
    # Sunday 8 March loses 02:00-03:00 in New York; Monday 09:00 is 14:00 UTC, then 13:00 UTC.
    assert local([s for s in slots if to_local(s.start, c.timezone).day == 8]) == \
        ["Sun 08 01:00", "Sun 08 03:00", "Sun 08 04:00"]
    mondays = [s.start for s in slots if to_local(s.start, c.timezone).weekday() == 0]
    assert mondays == [datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc),
                       datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc),
                       datetime(2026, 3, 9, 13, 0, tzinfo=timezone.utc),
                       datetime(2026, 3, 9, 14, 0, tzinfo=timezone.utc)]
    page = open_times.group_by_day(slots, c.timezone, Mode.IN_PERSON)
    assert [d.label for d in page.days] == ["Monday, March 2", "Sunday, March 8", "Monday, March 9"]
    assert [x.time for x in page.days[1].choices] == ["1:00 AM", "3:00 AM", "4:00 AM"]
    assert all("Weekend" in x.tags for x in page.days[1].choices)
    assert [x.time for x in page.days[2].choices] == ["9:00 AM", "10:00 AM"]


def test_fall_back_keeps_the_therapists_hours(deps, store):
    clock = FixedClock(datetime(2026, 10, 30, 12, 0, tzinfo=timezone.utc))
    fall = Deps(store=deps.store, notifier=deps.notifier, clock=clock, links=deps.links)
    t, c = setup(store, windows=(window(0, time(9), time(10)),),
                 settings=PracticeSettings(min_notice_hours=0, booking_horizon_days=14))
    ctx = session(fall, t, c, datetime(2026, 11, 10, 14, 0, tzinfo=timezone.utc))
    starts = [s.start for s in open_times.free_times(fall, ctx)]
    # Monday 09:00 in New York: 14:00 UTC once the clocks have gone back on 1 November.
    assert starts == [datetime(2026, 11, 2, 14, 0, tzinfo=timezone.utc),
                      datetime(2026, 11, 9, 14, 0, tzinfo=timezone.utc)]


def test_client_and_therapist_zones_differ(deps, store):
    # The therapist works 17:00-20:00 in New York; the client in Los Angeles sees 14:00-16:00,
    # and a London therapist's 09:00 is the New York client's 04:00 or 05:00 by date.
    t, c = setup(store, windows=(window(1, time(17), time(20)),), client_zone="America/Los_Angeles")
    ctx = session(deps, t, c, T0 + timedelta(days=9))
    page = open_times.group_by_day(open_times.free_times(deps, ctx), c.timezone, Mode.IN_PERSON)
    first = page.days[0]
    assert first.label == "Tuesday, March 3"
    assert [x.time for x in first.choices] == ["2:00 PM", "3:00 PM", "4:00 PM"]
    assert all(x.tags == () for x in first.choices)  # evening for the therapist, not for the client
    ny = open_times.group_by_day(open_times.free_times(deps, ctx), "America/New_York", Mode.IN_PERSON)
    assert all(x.tags == ("Evening",) for x in ny.days[0].choices)


def test_a_late_slot_falls_on_the_clients_next_day(deps, store):
    t, c = setup(store, windows=(window(1, time(19), time(21)),), client_zone="Europe/London")
    ctx = session(deps, t, c, T0 + timedelta(days=9))
    page = open_times.group_by_day(open_times.free_times(deps, ctx), c.timezone, Mode.IN_PERSON)
    assert page.days[0].label == "Wednesday, March 4"  # Tuesday 19:00 in New York is 00:00 in London
    assert page.days[0].choices[0].time == "12:00 AM"


def test_only_the_modes_of_each_window_and_a_mode_filter(deps, store):
    t, c = setup(store, windows=(window(1, time(9), time(11), frozenset({Mode.TELE})),
                                 window(3, time(9), time(11))))
    ctx = session(deps, t, c, T0 + timedelta(days=9))
    everything = open_times.group_by_day(open_times.free_times(deps, ctx), c.timezone, Mode.IN_PERSON)
    assert everything.days[0].choices[0].tags == ("Video only",)
    assert everything.days[1].choices[0].tags == ()
    video = open_times.free_times(deps, ctx, Mode.TELE)
    in_person = open_times.free_times(deps, ctx, Mode.IN_PERSON)
    assert all(Mode.TELE in s.modes for s in video)
    assert {to_local(s.start, c.timezone).weekday() for s in in_person} == {3}


def test_evening_and_weekend_times_are_found_in_the_clients_zone(deps, store):
    t, c = setup(store, windows=(window(1, time(9), time(11)), window(1, time(17), time(19)),
                                 window(5, time(10), time(12))))
    ctx = session(deps, t, c, T0 + timedelta(days=9))
    found = open_times.evening_or_weekend(open_times.free_times(deps, ctx), c.timezone)
    assert set(local(found, fmt="%a %H:%M")) == {"Tue 17:00", "Tue 18:00", "Sat 10:00", "Sat 11:00"}


def test_pages_hold_whole_days_and_say_where_the_next_starts(deps, store):
    t, c = setup(store, windows=tuple(window(d, time(8), time(20)) for d in EVERY_DAY),
                 settings=PracticeSettings(min_notice_hours=0, booking_horizon_days=28))
    ctx = session(deps, t, c, T0 + timedelta(days=40 - 30))
    slots = open_times.free_times(deps, ctx)
    first = open_times.group_by_day(slots, c.timezone, Mode.IN_PERSON, limit=30)
    assert 30 <= first.count < 30 + 12 and first.next_from is not None
    second = open_times.group_by_day(slots, c.timezone, Mode.IN_PERSON, limit=30, from_day=first.next_from)
    assert second.days[0].label != first.days[-1].label
    assert open_times.parse_slot_value(first.days[0].choices[0].value) == slots[0].start


def test_a_slot_value_that_is_not_a_time_is_refused_in_plain_words():
    import pytest

    from portal.domain.errors import ValidationError

    for bad in ("", "tomorrow", "20260303T1500", "2026-03-03T15:00Z"):
        with pytest.raises(ValidationError, match="Please pick one of the times shown"):
            open_times.parse_slot_value(bad)

