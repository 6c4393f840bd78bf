"""Which reminders a session gets, and when: quiet hours, one text a day, the nudge, follow-ups."""
from dataclasses import replace
from datetime import datetime, time, timedelta, timezone

import pytest

from portal.domain.messages import (
    FOLLOWUP,
    NUDGE,
    PendingMessage,
    plan_followup,
    plan_reminders,
)
from portal.domain.model import (
    Appointment,
    Channel,
    Mode,
    PracticeSettings,
    ReminderRule,
    Status,
)
from portal.domain.quiet_hours import first_allowed_from, is_quiet, last_allowed_before
from portal.domain.timemath import to_local
from tests import builders
from tests.conftest import T0

SETTINGS = PracticeSettings(display_name="Riverbend Counseling")
EMAIL, SMS, VOICE = Channel.EMAIL, Channel.SMS, Channel.VOICE


def at(*args):
    return datetime(*args, tzinfo=timezone.utc)


def session(start, status=Status.SCHEDULED, minutes=50):
    return Appointment("appt01", "ther01", "cli001", start, start + timedelta(minutes=minutes),
                       Mode.IN_PERSON, status=status)


def planned(messages):
    return {(m.kind, m.channel): m.due_at for m in messages}


def local(instant, zone="America/New_York"):
    return to_local(instant, zone).strftime("%a %H:%M")


def test_default_schedule_on_the_chosen_channels_with_the_client_in_the_detail():
    client = builders.client(channels=(EMAIL, SMS))
    start = at(2026, 3, 6, 20, 0)  # Friday 15:00 in New York
    got = planned(plan_reminders(session(start), client, SETTINGS, T0))
    assert got == {
        ("r72", EMAIL): start - timedelta(hours=72),
        ("r24", EMAIL): start - timedelta(hours=24),
        ("r24", SMS): start - timedelta(hours=24),
        ("r2", SMS): start - timedelta(hours=2),
        (NUDGE, EMAIL): start - timedelta(hours=21),  # 3 h after the 24 h reminder; that day has a text
    }
    assert all(m.detail == {"client": client.id} for m in plan_reminders(session(start), client, SETTINGS, T0))


def test_reminders_whose_moment_passed_at_booking_are_not_planned():
    client = builders.client(channels=(EMAIL,))
    start = T0 + timedelta(hours=30)
    # The 72 h email would have been due 42 h ago: only the 24 h email and the nudge remain.
    assert set(planned(plan_reminders(session(start), client, SETTINGS, T0))) == {
        ("r24", EMAIL), (NUDGE, EMAIL)}


def test_an_sms_due_in_quiet_hours_moves_to_just_before_they_began():
    client = builders.client(channels=(SMS,))
    start = at(2026, 3, 5, 12, 0)  # Thursday 07:00 in New York
    got = planned(plan_reminders(session(start), client, SETTINGS, T0))
    # 24 h before is Wednesday 07:00 (quiet): the evening before instead, 15 min clear of 21:00.
    assert local(got[("r24", SMS)]) == "Tue 20:45"
    # 2 h before is Thursday 05:00 (quiet): Wednesday evening, a different local day.
    assert local(got[("r2", SMS)]) == "Wed 20:45"
    for due in got.values():
        assert not is_quiet(due, client.timezone, time(21), time(8))


def test_email_is_never_moved_and_voice_keeps_quiet_hours_too():
    client = builders.client(channels=(EMAIL, VOICE))
    start = at(2026, 3, 5, 12, 0)
    got = planned(plan_reminders(session(start), client, SETTINGS, T0))
    assert got[("r24", EMAIL)] == start - timedelta(hours=24)
    assert local(got[("r24", VOICE)]) == "Tue 20:45"


def test_at_most_one_reminder_text_a_day_keeps_the_earliest():
    client = builders.client(channels=(SMS,))
    start = at(2026, 3, 5, 14, 0)  # Thursday 09:00: 2 h before is 07:00, moved to Wednesday evening
    got = planned(plan_reminders(session(start), client, SETTINGS, T0))
    assert local(got[("r24", SMS)]) == "Wed 09:00"
    assert ("r2", SMS) not in got  # Wednesday already has its text


def test_no_allowed_moment_left_means_no_text():
    client = builders.client(channels=(SMS,))
    now = at(2026, 3, 3, 3, 0)  # Monday 22:00 in New York
    start = at(2026, 3, 3, 13, 30)  # Tuesday 08:30: 2 h before is quiet, and Monday 20:45 has passed
    assert plan_reminders(session(start), client, SETTINGS, now) == []


def test_quiet_hours_follow_the_client_zone_across_the_spring_change():
    client = builders.client(channels=(SMS,), zone="America/New_York")
    start = at(2026, 3, 8, 11, 0)  # Sunday 07:00 EDT, the morning the clocks went forward
    due = planned(plan_reminders(session(start), client, SETTINGS, T0))[("r2", SMS)]
    assert to_local(due, client.timezone).strftime("%a %H:%M %Z") == "Sat 20:45 EST"


def test_quiet_hours_in_a_different_zone_than_the_practice():
    client = builders.client(channels=(SMS,), zone="America/Los_Angeles")
    start = at(2026, 3, 5, 18, 0)  # Thursday 10:00 in Los Angeles: 2 h before is 08:00, allowed
    got = planned(plan_reminders(session(start), client, SETTINGS, T0))
    assert got[("r2", SMS)] == start - timedelta(hours=2)


def test_quiet_hours_helpers_move_each_way_and_leave_allowed_times_alone():
    zone = "America/New_York"
    late = at(2026, 3, 4, 3, 0)  # Tuesday 22:00
    assert local(last_allowed_before(late, zone, time(21), time(8))) == "Tue 20:45"
    assert local(first_allowed_from(late, zone, time(21), time(8))) == "Wed 08:15"
    noon = at(2026, 3, 4, 17, 0)
    assert last_allowed_before(noon, zone, time(21), time(8)) == noon
    assert not is_quiet(noon, zone, time(0), time(0))  # equal ends: no quiet hours


@pytest.mark.parametrize("status", [Status.CONFIRMED])
def test_a_confirmed_session_gets_no_nudge(status):
    client = builders.client(channels=(EMAIL, SMS))
    start = at(2026, 3, 6, 20, 0)
    kinds = {m.kind for m in plan_reminders(session(start, status), client, SETTINGS, T0)}
    assert NUDGE not in kinds and "r24" in kinds


def test_the_nudge_is_configurable_and_can_be_turned_off():
    client = builders.client(channels=(SMS,))
    start = at(2026, 3, 6, 20, 0)
    off = replace(SETTINGS, nudge_hours=0)
    assert NUDGE not in {m.kind for m in plan_reminders(session(start), client, off, T0)}
    # Only a 48 h text: the 24 h nudge has its own day, so it goes by SMS.
    custom = replace(SETTINGS, reminder_schedule=(ReminderRule(48, (SMS,)),))
    got = planned(plan_reminders(session(start), client, custom, T0))
    assert got == {("r48", SMS): start - timedelta(hours=48), (NUDGE, SMS): start - timedelta(hours=24)}


def test_due_buckets_are_hours_and_lanes_keep_functions_apart():
    from portal.adapters.codec.sessions import message_to_item

    message = PendingMessage("a1", "r24", EMAIL, at(2026, 3, 5, 9, 59))
    assert message.lane == "" and message_to_item(message)["due_bucket"] == "DUE#2026-03-05T09"
    assert replace(message, kind=FOLLOWUP).lane == FOLLOWUP
    assert message_to_item(replace(message, kind=FOLLOWUP))["due_bucket"] == "DUE#followup#2026-03-05T09"
    assert message_to_item(replace(message, kind="checkin"))["due_bucket"] == "DUE#checkin#2026-03-05T09"


def test_followup_after_a_missed_session_on_the_clients_first_channel():
    client = builders.client(channels=(SMS, EMAIL))
    start = at(2026, 3, 2, 15, 0)  # 10:00 in New York
    missed = session(start, Status.NO_SHOW)
    [message] = plan_followup(missed, client, SETTINGS, start + timedelta(hours=1))
    assert (message.kind, message.channel) == (FOLLOWUP, SMS)
    assert message.due_at == missed.end + timedelta(hours=2)
    marked_late = start + timedelta(days=1)
    assert plan_followup(missed, client, SETTINGS, marked_late)[0].due_at == \
        marked_late + timedelta(minutes=15)
    assert plan_followup(session(start, Status.ATTENDED), client, SETTINGS, start) == []
    assert plan_followup(missed, client, SETTINGS, start + timedelta(days=8)) == []


def test_a_followup_text_waits_for_the_morning():
    client = builders.client(channels=(SMS,))
    start = at(2026, 3, 3, 0, 0)  # Monday 19:00: 2 h after the end is in quiet hours
    [message] = plan_followup(session(start, Status.LATE_CANCELLED), client, SETTINGS, start)
    assert local(message.due_at) == "Tue 08:15"
