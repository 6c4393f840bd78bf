"""The practice's closed days: public holidays (ticked by default), its own dates, and every
open-time path leaving them out."""
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

import pytest

from portal.domain.audit import Actor
from portal.domain.errors import SlotUnavailable, ValidationError
from portal.domain.model import Mode, PracticeSettings
from portal.domain.slots import open_slots
from portal.domain.timemath import local_wall_to_utc, to_local
from portal.paths import ROOT
from portal.services.sessions import booking, on_behalf
from portal.services.waitlist import entries as waitlist
from portal.services.waitlist.waves import send_due_offers
from portal.services.workspace import closed_days
from tests import builders

DEC_14 = datetime(2026, 12, 14, 14, 0, tzinfo=timezone.utc)  # a Monday, 9:00 in New York
CHRISTMAS = date(2026, 12, 25)  # a Friday


def days_of(slots, zone="America/New_York"):
    return {to_local(s.start, zone).date() for s in slots}


def at(day, hour=10):
    return local_wall_to_utc(day, time(hour), "America/New_York")


# --- the domain: a closed day yields no open time ---------------------------------------------
def test_a_closed_day_yields_no_slots_and_the_days_around_it_stay_open():
    t, hours = builders.therapist(), builders.weekday_availability()
    settings = PracticeSettings(min_notice_hours=12, booking_horizon_days=21)
    assert CHRISTMAS in days_of(open_slots(t, hours, [], settings, DEC_14))  # today's code offers it
    closed = replace(settings, closed_days=(CHRISTMAS,))
    open_days = days_of(open_slots(t, hours, [], closed, DEC_14))
    assert CHRISTMAS not in open_days
    assert {date(2026, 12, 24), date(2026, 12, 28)} <= open_days


def test_ticked_holidays_and_own_dates_close_and_an_unticked_holiday_stays_open():
    chosen = PracticeSettings(holiday_country="US", own_closed_days=(date(2026, 12, 24),))
    closed = closed_days.closed_dates(chosen, date(2026, 12, 8))
    assert {CHRISTMAS, date(2027, 1, 1), date(2026, 12, 24), date(2027, 7, 5)} <= set(closed)
    assert date(2027, 12, 23) not in closed and all(d >= date(2026, 12, 8) for d in closed)
    kept_open = closed_days.closed_dates(replace(chosen, holidays_open=("Christmas Day",)), date(2026, 12, 8))
    assert CHRISTMAS not in kept_open and date(2027, 12, 25) not in kept_open
    assert date(2027, 1, 1) in kept_open


def test_a_state_adds_its_own_holidays():
    texas = closed_days.closed_dates(PracticeSettings(holiday_state="TX"), date(2026, 12, 8))
    assert date(2027, 3, 2) in texas  # Texas Independence Day
    assert date(2027, 3, 2) not in closed_days.closed_dates(PracticeSettings(), date(2026, 12, 8))


@pytest.mark.parametrize("raw, expected", [
    ("2026-12-24", (date(2026, 12, 24),)),
    ("12/24/2026, 2026-12-31\n\n12/30/26", (date(2026, 12, 24), date(2026, 12, 30), date(2026, 12, 31))),
    ("", ()),
])
def test_own_dates_one_a_line_or_comma_separated(raw, expected):
    assert closed_days.parse_own_dates(raw, date(2026, 12, 8)) == expected


@pytest.mark.parametrize("raw, message", [
    ("Dec 24th", "“Dec 24th” isn't a date we can read. Please write it as 2026-12-24 or 12/24/2026."),
    ("2026-02-30", "“2026-02-30” isn't a date we can read."),
    ("2031-01-01", "January 1, 2031 is too far away."),
])
def test_a_date_that_cant_be_read_is_named_in_the_message(raw, message):
    with pytest.raises(ValidationError, match=message):
        closed_days.parse_own_dates(raw, date(2026, 12, 8))


def test_request_paths_never_import_the_holidays_package():
    code = ("import sys; import portal.wsgi, portal.domain.slots, portal.services.sessions.booking; "
            "import functions.reminders; print('holidays' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin", "SECRET_KEY": "x" * 40, "PORTAL_ENV": "test",
                                           "BASE_URL": "https://portal.test", "AWS_DEFAULT_REGION": "us-east-1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


# --- the services ---------------------------------------------------------------------------
@pytest.fixture
def december(deps, store, clock):
    clock.set(DEC_14)
    store.save_settings(PracticeSettings(booking_horizon_days=28))
    t, c = builders.practice(store)
    return t, c


def close(deps, admin, own="", ticked=("Christmas Day", "New Year's Day")):
    s = deps.store.get_settings()
    listed = [h.name for h in closed_days.upcoming_holidays(s, DEC_14.date())]
    return closed_days.change_closed_days(deps, admin, "US", "", listed, list(ticked), own, s.version)


def test_open_times_and_a_forged_booking_skip_a_closed_day(deps, store, december):
    t, c = december
    offered = booking.open_times(deps, t, store.get_availability(t.id), store.get_settings())
    assert CHRISTMAS in days_of(offered)
    close(deps, t)
    settings = store.get_settings()
    assert CHRISTMAS in settings.closed_days and date(2026, 11, 26) not in settings.closed_days
    offered = booking.open_times(deps, t, store.get_availability(t.id), settings)
    assert CHRISTMAS not in days_of(offered) and date(2026, 12, 24) in days_of(offered)
    before = dict(store.table._items)
    with pytest.raises(SlotUnavailable):
        booking.book_open_time(deps, t, c, at(CHRISTMAS), Mode.TELE, actor=Actor.client("link"))
    assert store.therapist_appointments(t.id, DEC_14, DEC_14 + timedelta(days=30)) == []
    assert dict(store.table._items).keys() == before.keys()


def test_an_unticked_holiday_stays_open_and_the_change_is_audited(deps, store, december):
    t, _ = december
    close(deps, t, own="12/24/2026", ticked=("New Year's Day",))
    settings = store.get_settings()
    assert CHRISTMAS not in settings.closed_days and "Christmas Day" in settings.holidays_open
    assert date(2026, 12, 24) in settings.closed_days and date(2027, 1, 1) in settings.closed_days
    assert CHRISTMAS in days_of(booking.open_times(deps, t, store.get_availability(t.id), settings))
    event = store.therapist_events(t.id)[-1]
    assert event.action == "closed days changed"
    assert "2026-12-24" in event.detail["closed"] and "2027-01-01" in event.detail["closed"]


def test_a_series_skips_the_closed_day_and_books_the_others(deps, store, december):
    t, c = december
    close(deps, t)
    results = on_behalf.book_series(deps, t, c, at(date(2026, 12, 18)), 1, 3, Mode.TELE, by=t)
    assert [r.day for r in results] == [date(2026, 12, 18), CHRISTMAS, date(2027, 1, 1)]
    assert [bool(r.booked) for r in results] == [True, False, False]
    assert results[1].problem == "The practice is closed that day."


def waiter_and_a_christmas_session(deps, store, t, c):
    """Sam waits for an earlier time than his Jan 8 session; the client has one on Christmas Day."""
    waiter = builders.client(cid="cli002", tid=t.id, first_name="Sam", phone="+12025550002")
    store.add_client(waiter)
    later = booking.record_booking(deps, t, waiter, at(date(2027, 1, 8)), Mode.TELE, actor=Actor.system("test"))
    waitlist.join(deps, store.load_context(later.id, waiter.id, t.id), waitlist.WaitlistPrefs())
    return later, booking.record_booking(deps, t, c, at(CHRISTMAS), Mode.TELE, actor=Actor.system("test"))


def test_the_waitlist_offers_no_time_freed_on_a_closed_day(deps, store, clock, december):
    t, c = december
    later, on_christmas = waiter_and_a_christmas_session(deps, store, t, c)
    close(deps, t)
    booking.cancel(deps, store.load_context(on_christmas.id, c.id, t.id), on_christmas.version,
                   actor=Actor.client())
    clock.advance(timedelta(minutes=5))
    deps.notifier.sent.clear()
    send_due_offers(deps)
    assert store.openings_of(t.id, DEC_14, DEC_14 + timedelta(days=30)) == []
    assert deps.notifier.sent == []


def test_an_offer_sent_before_the_day_closed_cant_be_claimed(app, deps, store, clock, december):
    import re

    from portal.services.waitlist import claims
    from tests.conftest import BASE_URL

    t, c = december
    later, on_christmas = waiter_and_a_christmas_session(deps, store, t, c)
    booking.cancel(deps, store.load_context(on_christmas.id, c.id, t.id), on_christmas.version,
                   actor=Actor.client())
    clock.advance(timedelta(minutes=5))
    send_due_offers(deps)
    links = [re.search(r"(https://\S+/o/\S+)", text).group(1) for _, _, text in deps.notifier.of("sms")]
    assert len(links) == 1  # offered while the practice was still open that day
    close(deps, t)
    answer = claims.claim(deps, links[0].removeprefix(BASE_URL + "/o/"))
    assert answer.state == claims.TAKEN and CHRISTMAS not in days_of(answer.other_times)
    assert answer.closed_day  # the page says the day closed, not that someone took it
    page = app.test_client().get(links[0].removeprefix(BASE_URL))
    assert page.status_code == 409 and "The practice is closed that day now" in page.get_data(as_text=True)
    assert store.get_appointment(later.id).start == later.start  # not moved onto Christmas


def test_booked_sessions_on_a_newly_closed_day_are_listed_and_kept(deps, store, december):
    t, c = december
    kept = booking.record_booking(deps, t, c, at(CHRISTMAS), Mode.TELE, actor=Actor.system("test"))
    booking.record_booking(deps, t, c, at(date(2026, 12, 23)), Mode.TELE, actor=Actor.system("test"))
    saved = close(deps, t)
    listed = closed_days.booked_on_closed_days(deps, saved)
    assert [s.appointment.id for s in listed] == [kept.id]
    assert store.get_appointment(kept.id).status.is_open  # never cancelled silently


def test_old_settings_without_closed_days_read_back_with_none(store):
    from portal.adapters.codec import settings as codec_settings

    item = codec_settings.settings_to_item(PracticeSettings())
    del item["closed"]
    assert codec_settings.settings_from_item(item).closed_days == ()
    again = codec_settings.settings_to_item(replace(PracticeSettings(), closed_days=(CHRISTMAS,),
                                                    holidays_open=("Labor Day",), holiday_state="NY"))
    back = codec_settings.settings_from_item(again)
    assert (back.closed_days, back.holidays_open, back.holiday_state) == ((CHRISTMAS,), ("Labor Day",), "NY")



@pytest.mark.parametrize("country, state", [("ZZ", ""), ("US", "ZZ")])
def test_an_unknown_country_or_state_is_refused_and_nothing_saved(deps, store, december, country, state):
    t, _ = december
    before = store.get_settings()
    with pytest.raises(ValidationError, match="Please pick a country and state from the list."):
        closed_days.change_closed_days(deps, t, country, state, [], [], "", before.version)
    assert store.get_settings() == before
