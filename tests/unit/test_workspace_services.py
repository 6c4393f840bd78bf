"""The workspace's edits on the in-memory store: weekly hours (hours), clients, series booking (on_behalf)."""
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

import pytest

from portal.domain.audit import Actor
from portal.domain.errors import StaleVersion, ValidationError
from portal.domain.model import Availability, AvailabilityWindow, Channel, Mode, TimeOff
from portal.services.sessions import booking, hours, on_behalf
from portal.services.workspace import clients
from portal.services.workspace.inputs import FormErrors
from tests import builders
from tests.conftest import T0

BOTH = ["in_person", "tele"]


def row(weekday, start, end, modes=BOTH, remove=False):
    return {"weekday": str(weekday), "start": start, "end": end, "modes": modes, "remove": remove}


# --- weekly hours ----------------------------------------------------------------------------
def test_several_windows_a_day_and_weekends_are_fine():
    windows, errors = hours.parse_windows([
        row(1, "08:00", "12:00"), row(1, "17:00", "20:00", ["tele"]), row(5, "09:00", "13:00"),
        row(6, "10:00", "12:00"), row(0, "", ""),  # an empty row is skipped
        row(2, "09:00", "10:00", remove=True),
    ])
    assert errors == {}
    assert [(w.weekday, w.start, w.end) for w in windows] == [
        (1, time(8), time(12)), (1, time(17), time(20)), (5, time(9), time(13)), (6, time(10), time(12))]
    assert windows[1].modes == frozenset({Mode.TELE})


@pytest.mark.parametrize("bad, message", [
    (row(1, "12:00", "09:00"), "The end time must be after the start time."),
    (row(1, "9am", "12:00"), "Use a time such as 09:00 or 17:30."),
    (row(1, "25:00", "26:00"), "Use a time such as 09:00 or 17:30."),
    (row(1, "09:07", "12:00"), "Times must be on 5-minute steps, such as 17:30."),
    (row(1, "09:00", "12:00", []), "Offer in person, video, or both."),
    (row("x", "09:00", "12:00"), "Pick a day, a start and an end time, and at least one way to meet."),
])
def test_bad_rows_get_a_message_on_their_own_row(bad, message):
    windows, errors = hours.parse_windows([row(0, "09:00", "12:00"), bad])
    assert errors == {1: message}
    assert len(windows) == 1


def test_overlapping_windows_are_reported_on_the_later_row():
    _, errors = hours.parse_windows([row(1, "08:00", "12:00"), row(2, "08:00", "12:00"),
                                         row(1, "11:30", "14:00")])
    assert errors == {2: "Overlaps Tuesday 8:00 AM to 12:00 PM. Please adjust one of them."}


def test_time_off_rows():
    found, errors = hours.parse_time_off([
        {"first_day": "2026-03-10", "last_day": "2026-03-12", "reason": "Conference"},
        {"first_day": "2026-03-20", "last_day": ""},  # one day
        {"first_day": "2026-03-14", "last_day": "2026-03-13"},
        {"first_day": "soon", "last_day": "2026-03-13"},
        {"first_day": "", "last_day": ""},
    ], date(2026, 3, 2))
    assert found == [TimeOff(date(2026, 3, 10), date(2026, 3, 12), "Conference"),
                     TimeOff(date(2026, 3, 20), date(2026, 3, 20))]
    assert errors == {2: "Time off must end on or after the day it starts.",
                      3: "Use a date such as 2026-07-04."}


def test_session_settings_validate_with_person_readable_messages():
    therapist = builders.therapist()
    assert hours.session_settings(therapist, "45", "15").session_minutes == 45
    with pytest.raises(FormErrors) as problems:
        hours.session_settings(therapist, "7", "lots")
    assert problems.value.fields == {
        "session_minutes": "Session length must be 15 to 150 minutes, in steps of 5.",
        "buffer_minutes": "Please enter a number of minutes."}


def test_saving_hours_is_version_guarded_and_keeps_booked_sessions(deps, store, clock):
    therapist, client = builders.practice(store)
    tuesday = datetime(2026, 3, 3, 15, 0, tzinfo=timezone.utc)  # 10:00 in New York
    booked = booking.book_open_time(deps, therapist, client, tuesday, Mode.IN_PERSON,
                                    actor=Actor.system("test"))
    evenings = Availability(windows=(AvailabilityWindow(1, time(17), time(20)),), version=0)
    updated = replace(therapist, session_minutes=45)
    saved = hours.save_availability(deps, therapist, evenings, updated)
    assert saved.version == 1 and store.get_therapist(therapist.id).session_minutes == 45
    # The morning session is kept as booked, and flagged.
    assert store.get_appointment(booked.id).start == tuesday
    assert [a.id for a in hours.sessions_outside_hours(deps, updated, saved)] == [booked.id]
    # A form opened before that save is refused and changes nothing.
    with pytest.raises(StaleVersion, match="changed in another window"):
        hours.save_availability(deps, therapist, Availability(version=0), therapist)
    assert store.get_availability(therapist.id).windows == evenings.windows


# --- clients ---------------------------------------------------------------------------------
def client_values(**kw):
    values = {"first_name": "Jo", "last_name": "Park", "email": " Jo.Park@Example.com ",
              "phone": "(202) 555-0199", "timezone": "America/Chicago", "channels": ["email", "sms"],
              "sms_consent": True}
    values.update(kw)
    return values


def test_a_client_is_added_with_a_normalized_email_and_an_e164_phone(deps, store):
    therapist, _ = builders.practice(store)
    client = clients.add_client(deps, therapist, client_values())
    stored = store.get_client(client.id)
    assert (stored.email, stored.phone, stored.channels) == (
        "Jo.Park@example.com", "+12025550199", (Channel.EMAIL, Channel.SMS))
    assert stored.therapist_id == therapist.id and stored.can_text
    assert clients.add_client(deps, therapist, client_values(phone="+44 20 7946 0958")).phone == "+442079460958"


@pytest.mark.parametrize("changes, field, words", [
    ({"first_name": " "}, "first_name", "Please enter a first name."),
    ({"email": "jo@"}, "email", "doesn't look like an email"),
    ({"phone": "555"}, "phone", "doesn't look like a phone number"),
    ({"timezone": "Central"}, "timezone", "not a time zone we know"),
    ({"channels": ["pigeon"]}, "channels", "Pick email, text message or phone call."),
    ({"sms_consent": False}, "sms_consent", "Texts need the client's consent"),
    ({"phone": "", "channels": ["voice"]}, "phone", "Texts and calls need a phone number."),
    ({"email": "", "channels": ["email"]}, "email", "Reminders by email need an email address."),
])
def test_bad_client_details_are_named_field_by_field(deps, store, changes, field, words):
    therapist, _ = builders.practice(store)
    with pytest.raises(FormErrors) as problems:
        clients.add_client(deps, therapist, client_values(**changes))
    assert words in problems.value.fields[field]
    assert len(store.list_clients(therapist.id)) == 1  # only the builder's client


def test_editing_a_client_keeps_what_the_form_does_not_show(deps, store):
    therapist, client = builders.practice(store, c=builders.client(sms_opted_out=True))
    updated = clients.update_client(deps, client, client_values(first_name="Alexis"))
    assert store.get_client(client.id).first_name == "Alexis"
    assert updated.sms_opted_out and updated.id == client.id


# --- series ----------------------------------------------------------------------------------
def test_a_series_tells_the_client_once_listing_every_date(deps, store, notifier):
    therapist, client = builders.practice(store)
    first = datetime(2026, 3, 3, 15, 0, tzinfo=timezone.utc)
    results = on_behalf.book_series(deps, therapist, client, first, 1, 3, Mode.TELE, by=therapist)
    assert all(r.booked for r in results)
    told = [payload for channel, to, payload in notifier.sent if channel == "email"]
    assert len(told) == 1 and "booked for 3 sessions" in told[0].text
    assert told[0].subject == "Booked: your 3 sessions, starting Tue Mar 3, 10 AM EST"
    for when in ("Tue Mar 3, 10 AM EST", "Tue Mar 10, 10 AM EDT", "Tue Mar 17, 10 AM EDT"):
        assert when in told[0].text and when in told[0].html
    texts = [payload for channel, to, payload in notifier.sent if channel == "sms"]
    assert all("3 sessions from Tue Mar 3" in t and len(t) <= 160 for t in texts)


def test_a_weekly_series_keeps_the_local_time_across_the_clock_change(deps, store):
    therapist, client = builders.practice(store)
    first = datetime(2026, 3, 3, 15, 0, tzinfo=timezone.utc)  # Tue 10:00 EST
    results = on_behalf.book_series(deps, therapist, client, first, 1, 3, Mode.TELE, by=therapist)
    assert [r.problem for r in results] == ["", "", ""]
    # US clocks change on March 8: 10:00 local is 14:00Z from then on.
    assert [r.booked.start.hour for r in results] == [15, 14, 14]
    trail = store.audit_trail(results[1].booked.id)
    assert (trail[0].actor, trail[0].via, trail[0].action) == ("therapist:ther01", "workspace", "booked")
    assert trail[0].by == Actor.therapist("ther01")


def test_a_series_reports_taken_dates_time_off_and_outside_hours(deps, store):
    availability = replace(builders.weekday_availability(),
                           time_off=(TimeOff(date(2026, 3, 17), date(2026, 3, 17)),))
    therapist, client = builders.practice(store, a=availability)
    other = builders.client("cli002", first_name="Kim")
    store.add_client(other)
    first = datetime(2026, 3, 3, 15, 0, tzinfo=timezone.utc)
    taken = booking.book_open_time(deps, therapist, other, datetime(2026, 3, 10, 14, 0, tzinfo=timezone.utc),
                                   Mode.IN_PERSON, actor=Actor.system("test"))
    results = on_behalf.book_series(deps, therapist, client, first, 1, 4, Mode.IN_PERSON, by=therapist)
    assert [r.problem for r in results] == ["", "That time is already taken.", "You are off that day.", ""]
    assert store.get_appointment(taken.id).client_id == other.id  # untouched
    fortnightly = on_behalf.book_series(deps, therapist, client, first + timedelta(hours=2), 2, 2,
                                        Mode.IN_PERSON, by=therapist)
    assert [r.day for r in fortnightly] == [date(2026, 3, 3), date(2026, 3, 17)]
    assert fortnightly[1].problem == "You are off that day."
    saturday = on_behalf.book_series(deps, therapist, client, datetime(2026, 3, 7, 15, tzinfo=timezone.utc),
                                     1, 1, Mode.IN_PERSON, by=therapist)
    assert saturday[0].problem == "Outside your weekly hours."


def test_series_limits(deps, store, clock):
    therapist, client = builders.practice(store)
    with pytest.raises(ValidationError, match="1 to 26"):
        on_behalf.book_series(deps, therapist, client, T0 + timedelta(days=1), 1, 27, Mode.TELE,
                              by=therapist)
    with pytest.raises(ValidationError, match="in the future"):
        on_behalf.book_series(deps, therapist, client, T0 - timedelta(hours=1), 1, 2, Mode.TELE,
                              by=therapist)
    assert store.therapist_appointments(therapist.id, T0 - timedelta(days=1), T0 + timedelta(days=400)) == []
