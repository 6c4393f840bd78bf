"""Appointment statuses move only along the allowed transitions; inputs are validated."""
from datetime import date, datetime, time, timedelta, timezone

import pytest

from portal.domain.audit import Actor, AuditEvent
from portal.domain.errors import InvalidTransition, ValidationError
from portal.domain.model import (
    ALLOWED_TRANSITIONS,
    Appointment,
    Availability,
    AvailabilityWindow,
    Client,
    Mode,
    PracticeSettings,
    Status,
    Therapist,
    TimeOff,
)

START = datetime(2026, 3, 3, 15, 0, tzinfo=timezone.utc)

ALLOWED = {
    ("scheduled", "confirmed"), ("scheduled", "cancelled"), ("scheduled", "late_cancelled"),
    ("scheduled", "attended"), ("scheduled", "no_show"),
    ("confirmed", "cancelled"), ("confirmed", "late_cancelled"), ("confirmed", "attended"),
    ("confirmed", "no_show"),
    ("attended", "no_show"), ("no_show", "attended"),
}


def appt(status=Status.SCHEDULED):
    return Appointment("a1", "t1", "c1", START, START + timedelta(minutes=50), Mode.IN_PERSON,
                       status=status)


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("wanted", list(Status))
def test_every_transition_is_allowed_or_refused_as_specified(current, wanted):
    a = appt(current)
    if (current.value, wanted.value) in ALLOWED:
        moved = a.transition(wanted)
        assert moved.status is wanted and moved.version == a.version + 1
    else:
        with pytest.raises(InvalidTransition):
            a.transition(wanted)


def test_status_words_are_the_ones_json_shows():
    assert [s.value for s in Status] == [
        "scheduled", "confirmed", "cancelled", "late_cancelled", "attended", "no_show"]
    assert [m.value for m in Mode] == ["in_person", "tele"]
    assert set(ALLOWED_TRANSITIONS) == set(Status)


def test_cancelled_sessions_cannot_be_moved():
    with pytest.raises(InvalidTransition):
        appt(Status.CANCELLED).moved_to(START + timedelta(days=1))


def test_appointment_needs_aware_times_and_positive_length():
    with pytest.raises(ValidationError):
        Appointment("a", "t", "c", START.replace(tzinfo=None), START.replace(tzinfo=None), Mode.TELE)
    with pytest.raises(ValidationError):
        Appointment("a", "t", "c", START, START, Mode.TELE)


@pytest.mark.parametrize("kwargs, message", [
    (dict(weekday=7, start=time(9), end=time(10)), "day of the week"),
    (dict(weekday=1, start=time(10), end=time(9)), "after the start"),
    (dict(weekday=1, start=time(9, 3), end=time(10)), "5-minute"),
    (dict(weekday=1, start=time(9), end=time(10), modes=frozenset()), "in person, video, or both"),
])
def test_availability_window_messages(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        AvailabilityWindow(**kwargs)


def test_evening_and_weekend_windows_are_allowed_but_overlaps_are_not():
    evening = AvailabilityWindow(1, time(17), time(21))
    saturday = AvailabilityWindow(5, time(9), time(13))
    Availability(windows=(AvailabilityWindow(1, time(8), time(12)), evening, saturday))
    with pytest.raises(ValidationError, match="overlap on Tuesday"):
        Availability(windows=(evening, AvailabilityWindow(1, time(20), time(22))))


def test_time_off_is_inclusive_and_ordered():
    off = TimeOff(date(2026, 3, 2), date(2026, 3, 4))
    assert off.covers(date(2026, 3, 4)) and not off.covers(date(2026, 3, 5))
    with pytest.raises(ValidationError):
        TimeOff(date(2026, 3, 4), date(2026, 3, 2))


def test_zones_and_lengths_are_checked():
    with pytest.raises(ValidationError, match="time zone"):
        Therapist("t", "T", "t@x.org", "Mars/Olympus")
    with pytest.raises(ValidationError, match="Session length"):
        Therapist("t", "T", "t@x.org", "UTC", session_minutes=7)
    with pytest.raises(ValidationError, match="horizon"):
        PracticeSettings(booking_horizon_days=0)


def test_client_channels_respect_consent_and_opt_out():
    from portal.domain.model import Channel

    c = Client("c", "t", "Alex", "Rivera", "a@x.org", "+12025550143", "UTC",
               (Channel.EMAIL, Channel.SMS), sms_consent=True)
    assert c.wants(Channel.SMS) and c.wants(Channel.EMAIL) and not c.wants(Channel.VOICE)
    from dataclasses import replace

    assert not replace(c, sms_opted_out=True).wants(Channel.SMS)
    assert not replace(c, sms_consent=False).wants(Channel.SMS)
    assert c.short_name == "Alex R."


# --- who acts --------------------------------------------------------------------------------
def test_an_actor_is_stored_as_the_audit_trail_always_named_it():
    assert (Actor.client("sms").label, Actor.client("sms").via) == ("client", "sms")
    assert Actor.therapist("mchen1").label == "therapist:mchen1"
    assert Actor.therapist("mchen1").via == "workspace"
    assert Actor.system("import").label == "system"


@pytest.mark.parametrize("label, via, expected", [
    ("client", "link", Actor.client("link")),
    ("therapist:mchen1", "workspace", Actor.therapist("mchen1")),
    ("therapist", "test", Actor.system("test")),  # no id: not a therapist anyone can be
    ("import", "import", Actor.system("import")),
    ("", "", Actor.system("")),
])
def test_an_audit_line_reads_back_as_an_actor(label, via, expected):
    assert Actor.from_label(label, via) == expected
    assert AuditEvent("a1", datetime(2026, 3, 3, tzinfo=timezone.utc), label, "booked", via).by == expected


def test_only_the_client_counts_as_the_client():
    assert Actor.client().is_client
    assert not Actor.therapist("client").is_client and not Actor.system("client").is_client
