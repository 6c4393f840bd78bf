"""The calendar file: valid RFC 5545 in the client's zone, a stable UID, SEQUENCE raised by changes."""
from datetime import timedelta

import pytest
from icalendar import Calendar

from portal.calendar import ics_bytes, uid_for
from portal.domain.audit import Actor
from portal.domain.model import Mode, PracticeSettings, Status
from portal.services.client import changes as actions
from portal.services.sessions.booking import book_open_time
from tests import builders
from tests.conftest import T0

THU_10 = T0 + timedelta(days=3, hours=1)
SETTINGS = PracticeSettings(display_name="Riverbend Counseling", contact_phone="+1 202-555-0100")


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return calendar, event


@pytest.fixture
def session(deps, store):
    store.save_settings(SETTINGS)
    t = builders.therapist()
    store.add_therapist(t, builders.weekday_availability())
    c = builders.client(tid=t.id, zone="America/Los_Angeles")
    store.add_client(c)
    a = book_open_time(deps, t, c, THU_10, Mode.IN_PERSON, actor=Actor.system("test"),
                       location="14 Elm Street, Suite 210")
    return store.load_context(a.id, c.id, t.id)


def test_the_file_is_well_formed_and_in_the_clients_zone(session, links):
    ctx = session
    data = ics_bytes(ctx.appointment, ctx.client, ctx.therapist, ctx.settings,
                     links.appointment_url(ctx.appointment), now=T0)
    lines = data.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR" and lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)  # folded as RFC 5545 requires
    calendar, event = parse(data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/Los_Angeles"
    assert event["DTSTART"].params["TZID"] == "America/Los_Angeles"
    assert event.decoded("DTSTART") == ctx.appointment.start  # the same instant
    assert event.decoded("DTSTART").strftime("%H:%M") == "07:00"  # 10:00 in New York
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=50)
    assert str(event["UID"]) == uid_for(ctx.appointment) and event["SEQUENCE"] == 1
    assert str(event["LOCATION"]) == "14 Elm Street, Suite 210"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert links.appointment_url(ctx.appointment) in str(event["DESCRIPTION"])
    assert "Maya" not in str(event["SUMMARY"])  # the file travels by email: no therapist's name


def test_each_change_keeps_the_uid_and_raises_the_sequence(session, deps, store, links):
    ctx = session
    first = parse(ics_bytes(ctx.appointment, ctx.client, ctx.therapist, ctx.settings, "x"))[1]
    moved = actions.reschedule(deps, ctx, THU_10 + timedelta(days=1), ctx.appointment.version)
    ctx = store.load_context(moved.id, ctx.client.id, ctx.therapist.id)
    second = parse(ics_bytes(moved, ctx.client, ctx.therapist, ctx.settings, "x"))[1]
    video = actions.switch_mode(deps, ctx, Mode.TELE, moved.version)
    ctx = store.load_context(video.id, ctx.client.id, ctx.therapist.id)
    third = parse(ics_bytes(video, ctx.client, ctx.therapist, ctx.settings, "x"))[1]
    cancelled = actions.cancel(deps, ctx, video.version)
    fourth = parse(ics_bytes(cancelled, ctx.client, ctx.therapist, ctx.settings, "x"))[1]
    events = [first, second, third, fourth]
    assert len({str(e["UID"]) for e in events}) == 1
    sequences = [e["SEQUENCE"] for e in events]
    assert sequences == sorted(set(sequences)) and sequences[0] < sequences[-1]
    assert second.decoded("DTSTART") == THU_10 + timedelta(days=1)
    assert str(third["LOCATION"]) == ctx.therapist.tele_room_url == str(third["URL"])
    assert f"Join by video: {ctx.therapist.tele_room_url}" in str(third["DESCRIPTION"])
    assert str(fourth["STATUS"]) == "CANCELLED" and cancelled.status is Status.CANCELLED
