"""Days, times, zones and phone numbers as people read them: one home, never an exception."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import wording

NY, LA = "America/New_York", "America/Los_Angeles"
UTC = timezone.utc
# Tuesday 1 December 2026, 7 PM in New York (EST, UTC-5).
EVENING = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)


def test_day_and_time_read_in_the_zone_they_are_for():
    assert wording.day(EVENING, NY) == "Tuesday, December 1"
    assert wording.day(EVENING, "UTC") == "Wednesday, December 2"  # the zone decides the day
    assert wording.short_day(EVENING, NY) == "Tue Dec 1"
    assert wording.clock(EVENING, NY) == "7:00 PM"
    assert wording.when(EVENING, NY) == "Tuesday, December 1 at 7:00 PM"
    assert wording.short_when(EVENING, NY) == "Tue Dec 1, 7:00 PM"
    assert wording.message_when(EVENING, NY) == "Tue Dec 1, 7 PM EST"
    assert wording.clock_range(EVENING, EVENING + timedelta(minutes=50), NY) == "7:00 PM to 7:50 PM"


def test_a_calendar_date_reads_as_it_is():
    assert wording.day(date(2026, 3, 3)) == "Tuesday, March 3"
    assert wording.short_day(date(2026, 3, 3), NY) == "Tue Mar 3"


@pytest.mark.parametrize("wall, full, compact", [
    (time(0, 0), "12:00 AM", "12 AM"),  # midnight
    (time(0, 5), "12:05 AM", "12:05 AM"),
    (time(9, 30), "9:30 AM", "9:30 AM"),
    (time(12, 0), "12:00 PM", "12 PM"),  # noon
    (time(12, 45), "12:45 PM", "12:45 PM"),
    (time(13, 0), "1:00 PM", "1 PM"),
    (time(23, 59), "11:59 PM", "11:59 PM"),
])
def test_every_clock_is_twelve_hour(wall, full, compact):
    assert wording.wall_clock(wall) == full
    assert wording.wall_clock(wall, compact=compact != full) == compact
    instant = datetime.combine(date(2026, 6, 1), wall, tzinfo=UTC)
    assert wording.clock(instant, "UTC") == full


def test_message_form_drops_only_whole_hours_and_shows_the_zone():
    half_past = datetime(2026, 9, 30, 16, 30, tzinfo=UTC)
    assert wording.message_when(half_past, NY) == "Wed Sep 30, 12:30 PM EDT"
    assert wording.message_when(half_past, LA) == "Wed Sep 30, 9:30 AM PDT"
    assert wording.when(half_past, "America/Chicago", compact=True) == "Wednesday, September 30 at 11:30 AM"
    assert wording.when(EVENING, NY, compact=True) == "Tuesday, December 1 at 7 PM"


def test_daylight_saving_edges_read_on_the_local_clock():
    # 8 March 2026, New York springs forward at 2 AM: 1:59 EST is followed by 3:00 EDT.
    before = datetime(2026, 3, 8, 6, 59, tzinfo=UTC)
    after = before + timedelta(minutes=1)
    assert wording.message_when(before, NY) == "Sun Mar 8, 1:59 AM EST"
    assert wording.message_when(after, NY) == "Sun Mar 8, 3 AM EDT"
    # 1 November 2026, falls back: 1:30 AM happens twice, told apart by the zone.
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    second = first + timedelta(hours=1)
    assert wording.clock(first, NY) == wording.clock(second, NY) == "1:30 AM"
    assert wording.zone_label(NY, first) == "New York time (EDT)"
    assert wording.zone_label(NY, second) == "New York time (EST)"


def test_zone_label_names_the_place_and_the_abbreviation_without_nested_brackets():
    winter = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
    assert wording.zone_label(NY, winter) == "New York time (EST)"
    assert wording.zone_label(LA, winter.replace(month=7)) == "Los Angeles time (PDT)"
    assert wording.zone_label(NY) == "New York time"  # a list that may cross a clock change
    assert wording.zone_label("UTC", winter) == "UTC time"
    assert wording.zone_label("Europe/London", winter) == "London time (GMT)"
    assert wording.zone_label("Pacific/Port_Moresby", winter) == "Port Moresby time (+10)"
    assert wording.zone_label("Not/AZone", winter) == "UTC time"


@pytest.mark.parametrize("number, country, shown", [
    ("+12025550143", "US", "(202) 555-0143"),
    ("+442079460958", "US", "+44 20 7946 0958"),
    ("+442079460958", "GB", "020 7946 0958"),
    ("+4930123456", "US", "+49 30 123456"),
    ("+61291234567", "US", "+61 2 9123 4567"),
    ("+14165550143", "US", "+1 416-555-0143"),  # Canada shares +1 but is abroad
    ("(202) 555-0143", "US", "(202) 555-0143"),  # typed the national way
    ("call the office", "US", "call the office"),  # not a number: shown as typed
    ("+1", "US", "+1"),
    ("", "US", ""),
    (None, "US", ""),
])
def test_phone_numbers_read_the_way_people_write_them(number, country, shown):
    assert wording.phone(number, country) == shown


def test_tel_targets_keep_digits_and_the_leading_plus():
    assert wording.tel("+1 (202) 555-0143") == "+12025550143"
    assert wording.tel("(202) 555-0143 ext. 12") == "202555014312"
    assert wording.tel("1+2") == "12"
    assert wording.tel(None) == "" and wording.tel("+") == ""


@pytest.mark.parametrize("value", [None, "", "2026-03-03", 12, object()])
def test_nothing_to_show_reads_as_empty_text(value):
    for fn in (wording.day, wording.short_day, wording.clock, wording.when, wording.short_when,
               wording.message_when):
        assert fn(value, NY) == ""
    assert wording.wall_clock(value) == ""


def test_bad_zones_and_naive_or_extreme_times_still_read():
    assert wording.clock(EVENING, "Not/AZone") == "12:00 AM"  # unknown zone: UTC, not an error
    assert wording.clock(EVENING, None) == "12:00 AM"
    assert wording.clock(datetime(2026, 12, 2, 0, 0), NY) == "7:00 PM"  # naive is taken as UTC
    assert wording.day(datetime(9999, 12, 31, 23, 0, tzinfo=UTC), "Asia/Tokyo") == "Friday, December 31"
    assert wording.day(datetime(1, 1, 1, 1, 0, tzinfo=UTC), LA) == "Monday, January 1"


def test_the_filters_are_the_same_functions():
    assert wording.FILTERS["when"] is wording.when and wording.FILTERS["phone"] is wording.phone
    assert set(wording.FILTERS) == set(wording.__all__)


ZONES = st.sampled_from([NY, LA, "UTC", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe",
                         "Pacific/Chatham", "Not/AZone", "", None])


@given(instant=st.datetimes(timezones=st.just(UTC)), zone_name=ZONES)
def test_any_instant_in_any_zone_reads_without_raising(instant, zone_name):
    text = wording.message_when(instant, zone_name)
    assert " AM " in text or " PM " in text
    assert wording.when(instant, zone_name).count(" at ") == 1
    assert wording.clock(instant, zone_name).endswith(("AM", "PM"))
    assert "((" not in f"({wording.zone_label(zone_name, instant)})"
