"""Wall-clock to UTC across both DST changes, and the time cells a session holds."""
from datetime import date, datetime, time, timezone

import pytest

from portal.domain.errors import ValidationError
from portal.domain.timemath import cells, local_wall_to_utc, parse_utc, to_local

NY = "America/New_York"


def test_spring_forward_skips_the_missing_hour():
    # 2026-03-08: clocks jump from 02:00 to 03:00 in New York.
    assert local_wall_to_utc(date(2026, 3, 8), time(2, 30), NY) is None
    assert local_wall_to_utc(date(2026, 3, 8), time(1, 30), NY) == datetime(2026, 3, 8, 6, 30, tzinfo=timezone.utc)
    assert local_wall_to_utc(date(2026, 3, 8), time(3, 0), NY) == datetime(2026, 3, 8, 7, 0, tzinfo=timezone.utc)


def test_fall_back_takes_the_first_of_the_repeated_hour():
    # 2026-11-01: 01:00-02:00 happens twice; the earlier (daylight) instant is used.
    assert local_wall_to_utc(date(2026, 11, 1), time(1, 30), NY) == datetime(2026, 11, 1, 5, 30, tzinfo=timezone.utc)
    assert local_wall_to_utc(date(2026, 11, 1), time(9, 0), NY) == datetime(2026, 11, 1, 14, 0, tzinfo=timezone.utc)


def test_same_wall_time_maps_to_different_utc_across_the_change():
    before = local_wall_to_utc(date(2026, 3, 7), time(9), NY)
    after = local_wall_to_utc(date(2026, 3, 9), time(9), NY)
    assert (before.hour, after.hour) == (14, 13)
    assert to_local(after, NY).hour == 9


def test_cells_cover_a_session_in_five_minute_steps():
    start = datetime(2026, 3, 3, 15, 0, tzinfo=timezone.utc)
    held = cells(start, datetime(2026, 3, 3, 16, 0, tzinfo=timezone.utc))
    assert len(held) == 12 and held[0] == "20260303T1500" and held[-1] == "20260303T1555"
    with pytest.raises(ValidationError):
        cells(datetime(2026, 3, 3, 15, 2, tzinfo=timezone.utc), start)


def test_parse_utc_refuses_naive_times():
    assert parse_utc("2026-03-03T10:00:00-05:00") == datetime(2026, 3, 3, 15, tzinfo=timezone.utc)
    with pytest.raises(ValidationError):
        parse_utc("2026-03-03T10:00:00")


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:55:00-01:00"])
def test_times_off_the_calendar_are_refused_with_a_message(text):
    with pytest.raises(ValidationError, match="out of range"):
        parse_utc(text)
