"""Check-ins between sessions: when they go, once, and what an answer does."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from portal.adapters.codec import keys
from portal.domain.audit import Actor
from portal.domain.errors import ValidationError
from portal.domain.messages import CheckinPolicy, checkin_moment, checkin_pairs
from portal.domain.model import Appointment, Barrier, Channel, Mode, PracticeSettings, Status
from portal.domain.timemath import to_local
from portal.services.messaging import checkins
from portal.services.sessions import booking
from portal.services.workspace.dashboard import latest_checkin
from tests import builders

SETTINGS = PracticeSettings(display_name="Riverbend Counseling", contact_phone="+1 202-555-0100")
MONDAY = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)  # Monday 10:00 EST


def at(*args):
    return datetime(*args, tzinfo=timezone.utc)


def appt(start, status=Status.SCHEDULED, id_="a"):
    return Appointment(id_, "ther01", "cli001", start, start + timedelta(minutes=50), Mode.TELE,
                       status=status)


def local(instant):
    return to_local(instant, "America/New_York").strftime("%a %d %H:%M")


def test_weekly_sessions_get_a_check_in_midweek_at_ten_even_across_a_clock_change():
    following = appt(MONDAY + timedelta(days=7) - timedelta(hours=1))  # Monday 10:00 EDT
    moment = checkin_moment(appt(MONDAY), following, "America/New_York")
    assert local(moment) == "Thu 05 10:00"


def test_sessions_less_than_a_week_apart_or_too_far_apart_get_none():
    zone = "America/New_York"
    assert checkin_moment(appt(MONDAY), appt(MONDAY + timedelta(days=4)), zone) is None
    assert checkin_moment(appt(MONDAY), appt(MONDAY + timedelta(days=40)), zone) is None
    fortnight = checkin_moment(appt(MONDAY), appt(MONDAY + timedelta(days=14)), zone)
    assert local(fortnight) == "Mon 09 10:00"


def test_never_within_a_day_of_a_session_whatever_the_policy():
    policy = CheckinPolicy(min_gap=timedelta(days=1), position=0.9)
    assert checkin_moment(appt(MONDAY), appt(MONDAY + timedelta(days=2)), "America/New_York", policy) is None


def test_pairs_are_consecutive_and_skip_cancelled_sessions():
    a = appt(MONDAY, Status.ATTENDED, "a")
    gone = appt(MONDAY + timedelta(days=7), Status.CANCELLED, "b")
    c = appt(MONDAY + timedelta(days=14), Status.SCHEDULED, "c")
    past_c = appt(MONDAY + timedelta(days=21), Status.NO_SHOW, "d")
    assert [(p.id, f.id) for p, f in checkin_pairs([c, gone, a, past_c])] == [("a", "c")]


ZONES = ("America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe",
         "Asia/Kathmandu", "Europe/London", "America/St_Johns")


@settings(max_examples=400, deadline=None)
@given(first=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31),
                          timezones=st.just(timezone.utc)),
       gap_hours=st.integers(24 * 6, 24 * 37), minutes=st.sampled_from([30, 50, 90, 240]),
       zone=st.sampled_from(ZONES), position=st.sampled_from([0.2, 0.5, 0.8]),
       late=st.integers(0, 60), span=st.integers(1, 12 * 60))
def test_the_planner_reads_every_pair_whose_moment_falls_in_its_run(first, gap_hours, minutes, zone,
                                                                    position, late, span):
    """The narrowed read (``CheckinPolicy.window``) holds both sessions of every pair due in
    (since, now], whatever the zone, clock change, session length or position."""
    policy = CheckinPolicy(position=position)
    previous = Appointment("p", "ther01", "cli001", first, first + timedelta(minutes=minutes), Mode.TELE)
    start = first + timedelta(hours=gap_hours)
    following = Appointment("f", "ther01", "cli001", start, start + timedelta(minutes=50), Mode.TELE)
    moment = checkin_moment(previous, following, zone, policy)
    assume(moment is not None)
    now = moment + timedelta(minutes=late)
    since = now - timedelta(minutes=max(span, late + 1))
    low, high = policy.window(since, now)
    assert low <= previous.start and following.start <= high
    assert high - low < timedelta(days=45)  # well inside the old +-35 days


@pytest.fixture
def weekly(deps, store, clock):
    store.save_settings(SETTINGS)
    therapist, client = builders.practice(store, c=builders.client(channels=(Channel.EMAIL,)))
    first = booking.record_booking(deps, therapist, client, MONDAY, Mode.TELE, actor=Actor.system("test"))
    second = booking.record_booking(deps, therapist, client, MONDAY + timedelta(days=7),
                                    Mode.TELE, actor=Actor.system("test"))
    return therapist, client, first, second


def hourly(deps, clock, until):
    """The checkins function every hour up to ``until``; returns the summaries."""
    summaries = []
    while clock.now() < until:
        clock.advance(timedelta(hours=1))
        summaries.append(checkins.send_checkins(deps))
    return summaries


def test_the_check_in_goes_once_midway_with_the_one_tap_link(deps, store, clock, notifier, weekly):
    _, client, _, second = weekly
    hourly(deps, clock, at(2026, 3, 5, 14, 0))  # Thursday 09:00 EST: not yet
    assert notifier.sent == []
    hourly(deps, clock, at(2026, 3, 5, 16, 0))
    [(_, to, email)] = notifier.sent
    assert to == client.email and email.subject == "How are you doing, Alex?"
    assert deps.links.checkin_url(second) + "?score=1" in email.html
    hourly(deps, clock, at(2026, 3, 6, 16, 0))
    assert len(notifier.sent) == 1


def test_a_late_run_still_sends_it_and_two_overlapping_runs_send_it_once(deps, store, clock, notifier, weekly):
    clock.set(at(2026, 3, 5, 14, 0))
    checkins.send_checkins(deps)
    clock.set(at(2026, 3, 5, 19, 30))  # five hours late
    first = checkins.send_checkins(deps)
    second = checkins.send_checkins(deps)
    assert first["sent"] == 1 and second["sent"] == 0 and len(notifier.sent) == 1


def test_no_check_in_for_a_client_who_turned_them_off(deps, store, clock, notifier, weekly):
    _, client, _, _ = weekly
    store.set_client_flags(client.id, checkins_enabled=False)
    hourly(deps, clock, at(2026, 3, 6, 16, 0))
    assert notifier.sent == []


def test_a_next_session_moved_after_planning_gets_no_stale_check_in(deps, store, clock, notifier, weekly):
    therapist, client, _, second = weekly
    clock.set(at(2026, 3, 5, 14, 0))
    checkins.send_checkins(deps)
    clock.set(at(2026, 3, 5, 15, 1))
    checkins.plan_due_checkins(deps)  # planned...
    ctx = store.load_context(second.id, client.id, therapist.id)
    booking.reschedule(deps, ctx, second.start + timedelta(days=1), ctx.appointment.version,
                       actor=Actor.system("test"), slots=[_slot(second.start + timedelta(days=1))])
    summary = checkins.send_checkins(deps)  # ...but the session moved before it went
    assert summary["skipped"] == 1 and notifier.sent == []


def _slot(start):
    from portal.domain.slots import Slot

    return Slot(start, start + timedelta(minutes=50), frozenset({Mode.TELE, Mode.IN_PERSON}))


def test_a_check_in_text_for_a_client_who_prefers_texts(deps, store, clock, notifier):
    store.save_settings(SETTINGS)
    therapist, _ = builders.practice(store)
    texter = builders.client(cid="cli002", phone="+12025550999", email="t@example.com",
                             channels=(Channel.SMS, Channel.EMAIL))
    store.add_client(texter)
    for days in (0, 7):
        booking.record_booking(deps, therapist, texter, MONDAY + timedelta(days=days, hours=2),
                               Mode.TELE, actor=Actor.system("test"))
    clock.set(at(2026, 3, 6, 15, 30))  # midway is early Friday: Friday 10:00 it is
    checkins.send_checkins(deps)
    [(channel, to, text)] = notifier.sent
    assert channel == "sms" and to == texter.phone and "/c/" in text and len(text) <= 160


# --- answers -------------------------------------------------------------------------------------
def ctx_of(store, appointment):
    return store.load_context(appointment.id, appointment.client_id, appointment.therapist_id)


def test_an_answer_is_the_record_the_dashboard_reads(deps, store, clock, weekly):
    therapist, client, _, second = weekly
    answer = checkins.parse_answer("4", "", "  ")
    assert checkins.record_answer(deps, ctx_of(store, second), answer)
    found = latest_checkin(deps, client.id)
    assert (found.at, found.score, found.barrier, found.note) == (clock.now(), 4, None, "")
    record = store.table.get(*keys.checkin_key(client.id, clock.now()))
    assert (record["appointment_id"], record["therapist_id"]) == (second.id, therapist.id)
    assert store.inbox(therapist.id) == []  # a good answer with no note bothers nobody


def test_a_low_score_or_a_barrier_reaches_the_therapist(deps, store, clock, notifier, weekly):
    therapist, client, _, second = weekly
    checkins.record_answer(deps, ctx_of(store, second), checkins.parse_answer("2", "", ""))
    clock.advance(timedelta(minutes=1))
    checkins.record_answer(deps, ctx_of(store, second),
                           checkins.parse_answer("4", "transport", "the bus changed"))
    inbox = store.inbox(therapist.id)
    assert [(i.kind, i.barrier) for i in inbox] == [("checkin", Barrier.TRANSPORT), ("checkin", None)]
    assert "the bus changed" in inbox[0].text
    emails = [e for _, to, e in notifier.of("email") if to == therapist.email]
    assert len(emails) == 2 and emails[0].subject == "New check-in from Alex R."
    for email in emails:  # minimum necessary: who, and where to see it signed in; no answer
        assert f"https://portal.test/t/clients/{client.id}" in email.text
        for private in ("2 of 5", "4 of 5", "low", "transport", "Getting there", "the bus changed", "Rivera"):
            assert private not in email.subject + email.text
    assert latest_checkin(deps, client.id).barrier == "transport"


def test_a_note_alone_goes_to_the_inbox_without_an_email(deps, store, notifier, weekly):
    therapist, _, _, second = weekly
    checkins.record_answer(deps, ctx_of(store, second), checkins.parse_answer("5", "", "feeling better"))
    [item] = store.inbox(therapist.id)
    assert item.text == "Check-in: 5 of 5. feeling better" and notifier.sent == []


@pytest.mark.parametrize("score, barrier, note", [("", "", ""), ("6", "", ""), ("x", "", ""),
                                                  ("3", "money", ""), ("3", "", "n" * 501)])
def test_bad_answers_are_refused_in_plain_words(score, barrier, note):
    with pytest.raises(ValidationError) as refused:
        checkins.parse_answer(score, barrier, note)
    assert str(refused.value).startswith("Please")


def test_clients_can_turn_check_ins_off_and_on(deps, store, weekly):
    _, client, _, second = weekly
    checkins.set_checkins(deps, ctx_of(store, second), False)
    assert store.get_client(client.id).checkins_enabled is False
    checkins.set_checkins(deps, ctx_of(store, second), True)
    assert store.get_client(client.id).checkins_enabled is True


def test_checkins_handler(deps, store, clock, weekly, handlers):
    from functions import checkins as function
    clock.set(at(2026, 3, 5, 14, 0))
    function.handler({}, None)
    clock.set(at(2026, 3, 5, 15, 5))
    assert function.handler({"detail-type": "Scheduled Event"}, None)["sent"] == 1
