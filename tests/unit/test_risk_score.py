"""The risk score: one test per factor, the levels, the action and the contact links."""
import math
from dataclasses import replace
from datetime import timedelta

import pytest

from portal.domain import risk_score
from portal.domain.checkins import CheckIn
from portal.domain.model import Appointment, Barrier, Channel, InboxItem, Mode, Status
from portal.domain.risk_score import Level, RiskScore, level_of, score
from tests import builders
from tests.conftest import T0

NY = "America/New_York"


def session(start, status=Status.CONFIRMED, aid="a1", **kw):
    kw.setdefault("created_at", start - timedelta(days=7))
    return Appointment(aid, "ther01", "cli001", start, start + timedelta(minutes=50), Mode.IN_PERSON,
                       status=status, **kw)


def regular():
    """Two attended sessions: not a new client."""
    return [session(T0 - timedelta(days=d), Status.ATTENDED, aid=f"att{d}") for d in (14, 21)]


def kinds(appointment, history=None, inbox=(), checkin=None, client=None):
    found = score(appointment, client=client or builders.client(),
                  history=regular() if history is None else regular() + list(history),
                  inbox=list(inbox), checkin=checkin, now=T0, zone_name=NY)
    return [f.kind for f in found.factors]


IN_3_DAYS = T0 + timedelta(days=3)


def test_a_regular_confirmed_session_has_no_factors_and_is_low():
    found = score(session(IN_3_DAYS), client=builders.client(), history=regular(), inbox=[],
                  checkin=None, now=T0, zone_name=NY)
    assert found.factors == () and found.level is Level.LOW


@pytest.mark.parametrize("days_ago, kind", [(10, "no_show_last"), (30, "no_show"), (89, "no_show"),
                                           (91, None)])
def test_a_prior_no_show_in_the_last_90_days_counts_most_when_it_was_the_last_session(days_ago, kind):
    missed = session(T0 - timedelta(days=days_ago), Status.NO_SHOW, aid="old")
    found = [k for k in kinds(session(IN_3_DAYS), [missed]) if k.startswith("no_show")]
    assert found == ([kind] if kind else [])
    assert risk_score.WEIGHTS["no_show_last"] > risk_score.WEIGHTS["no_show"]  # recent above old


def test_no_show_reason_names_the_latest_and_counts_them():
    history = [session(T0 - timedelta(days=d), Status.NO_SHOW, aid=f"h{d}") for d in (40, 12)]
    found = score(session(IN_3_DAYS), client=builders.client(), history=regular() + history,
                  inbox=[], checkin=None, now=T0, zone_name=NY)
    assert [f.text for f in found.reasons] == ["Missed their last session, on Wed Feb 18 (2 in 90 days)"]


@pytest.mark.parametrize("status, days_ago, kind", [(Status.LATE_CANCELLED, 10, "late_cancel_last"),
                                                    (Status.LATE_CANCELLED, 40, "late_cancel"),
                                                    (Status.CANCELLED, 10, None)])
def test_a_prior_late_cancel(status, days_ago, kind):
    past = session(T0 - timedelta(days=days_ago), status, aid="old")
    assert [k for k in kinds(session(IN_3_DAYS), [past]) if k.startswith("late")] == ([kind] if kind else [])


def test_cancelling_often_in_time():
    history = [session(T0 - timedelta(days=d), Status.CANCELLED, aid=f"c{d}") for d in (5, 30)]
    assert "cancels_often" in kinds(session(IN_3_DAYS), history)
    assert "cancels_often" not in kinds(session(IN_3_DAYS), history[:1])


@pytest.mark.parametrize("weeks_ahead, kind", [(5, "lead_4_weeks"), (4, "lead_4_weeks"),
                                               (3, "lead_3_weeks"), (2, None)])
def test_lead_time(weeks_ahead, kind):
    appointment = session(IN_3_DAYS, created_at=IN_3_DAYS - timedelta(weeks=weeks_ahead))
    seen_long_ago = [session(T0 - timedelta(days=d), Status.ATTENDED, aid=f"old{d}") for d in (60, 67)]
    found = score(appointment, client=builders.client(), history=seen_long_ago, inbox=[],
                  checkin=None, now=T0, zone_name=NY)
    assert [f.kind for f in found.factors if f.kind.startswith("lead")] == ([kind] if kind else [])


def test_a_session_of_a_series_waits_only_from_when_it_became_the_next_one():
    # Booked with the series 8 weeks ago; the client came last week: it has waited a week.
    appointment = session(IN_3_DAYS, created_at=IN_3_DAYS - timedelta(weeks=8))
    assert not [k for k in kinds(appointment) if k.startswith("lead")]


@pytest.mark.parametrize("attended, text", [(0, "First session with you"), (1, "Second session with you"),
                                            (2, None)])
def test_a_first_or_second_session(attended, text):
    history = regular()[:attended]
    found = score(session(IN_3_DAYS), client=builders.client(), history=history, inbox=[],
                  checkin=None, now=T0, zone_name=NY)
    assert [f.text for f in found.factors if f.kind == "early"] == ([text] if text else [])


def confirmed_before(count=3):
    return [session(T0 - timedelta(days=7 * n), Status.ATTENDED, aid=f"conf{n}", confirmed_via="link")
            for n in range(1, count + 1)]


@pytest.mark.parametrize("hours_ahead, status, counts", [
    (23, Status.SCHEDULED, True), (48, Status.SCHEDULED, True),
    (49, Status.SCHEDULED, False),  # the 72-hour reminder has not been out a day yet
    (3, Status.CONFIRMED, False),
])
def test_unconfirmed_when_they_usually_confirm(hours_ahead, status, counts):
    soon = session(T0 + timedelta(hours=hours_ahead), status)
    assert ("unconfirmed" in kinds(soon, confirmed_before(6))) is counts  # 6 of 8 confirmed


def test_not_confirming_says_nothing_for_a_client_who_never_does():
    soon = session(T0 + timedelta(hours=20), Status.SCHEDULED)
    assert "unconfirmed" not in kinds(soon)  # regular(): two attended, neither confirmed
    assert not risk_score.usually_confirms(confirmed_before(2))  # two sessions are no habit yet
    assert risk_score.usually_confirms(confirmed_before(3) + regular()[:1])  # three of four
    assert not risk_score.usually_confirms(confirmed_before(3) + regular())  # three of five


def test_a_barrier_not_yet_resolved():
    assert "barrier" in kinds(session(IN_3_DAYS, barrier=Barrier.TRANSPORT))
    said = InboxItem("ther01", T0, "barrier", "cli001", barrier=Barrier.COST, id="i1")
    found = score(session(IN_3_DAYS), client=builders.client(), history=regular(), inbox=[said],
                  checkin=None, now=T0, zone_name=NY)
    assert [f.text for f in found.factors] == ["Said this is in the way: the cost"]
    assert kinds(session(IN_3_DAYS), inbox=[replace(said, handled=True)]) == []
    assert kinds(session(IN_3_DAYS), inbox=[replace(said, client_id="someone-else")]) == []
    assert kinds(session(IN_3_DAYS), inbox=[replace(said, at=T0 - timedelta(days=15))]) == []


def test_a_barrier_about_a_session_weighs_on_that_session_only():
    about = InboxItem("ther01", T0 - timedelta(days=3), "barrier", "cli001", "att14", Barrier.SCHEDULE, id="i2")
    assert kinds(session(IN_3_DAYS), inbox=[about]) == []  # att14 (in regular()) is over, unhandled or not
    this_one = replace(about, appointment_id="a1")
    assert kinds(session(IN_3_DAYS), inbox=[this_one]) == ["barrier"]
    assert kinds(session(IN_3_DAYS), inbox=[replace(this_one, handled=True)]) == []
    other = replace(about, appointment_id="a-tomorrow")  # about another session: not this one's
    assert kinds(session(IN_3_DAYS), inbox=[other]) == []


def test_last_session_missed_counts_in_full_for_their_next_session_only():
    missed = session(T0 - timedelta(days=7), Status.NO_SHOW, aid="old")
    tomorrow = session(T0 + timedelta(days=1), Status.CONFIRMED, aid="tomorrow")
    assert kinds(session(IN_3_DAYS), [missed]) == ["no_show_last"]
    assert kinds(session(IN_3_DAYS), [missed, tomorrow]) == ["no_show"]  # tomorrow's comes first
    assert kinds(session(IN_3_DAYS), [missed, replace(tomorrow, status=Status.CANCELLED)]) == ["no_show_last"]


@pytest.mark.parametrize("score_, days_ago, counts", [(1, 1, True), (2, 29, True), (3, 1, False),
                                                      (1, 31, False)])
def test_a_low_check_in_this_month(score_, days_ago, counts):
    answer = CheckIn(T0 - timedelta(days=days_ago), score_)
    assert any(k.startswith("checkin") for k in kinds(session(IN_3_DAYS), checkin=answer)) is counts


def test_the_lowest_check_in_weighs_more_than_a_two():
    assert kinds(session(IN_3_DAYS), checkin=CheckIn(T0, 1)) == ["checkin_lowest"]
    assert kinds(session(IN_3_DAYS), checkin=CheckIn(T0, 2)) == ["checkin"]
    assert risk_score.WEIGHTS["checkin_lowest"] > risk_score.WEIGHTS["checkin"]


def test_reminders_not_reaching_the_client():
    ok = builders.client()
    assert risk_score.unreachable(ok) is None
    assert risk_score.unreachable(replace(ok, email_blocked=True)) == "Reminder emails to them bounced"
    everything_off = replace(ok, email_blocked=True, sms_opted_out=True)
    assert risk_score.unreachable(everything_off).startswith("No reminder can reach them")
    assert risk_score.unreachable(replace(ok, channels=(Channel.SMS,), sms_opted_out=True)) is not None
    assert "unreachable" in kinds(session(IN_3_DAYS), client=everything_off)
    assert risk_score.unreachable(None) is None
    failing_texts = replace(ok, channels=(Channel.EMAIL, Channel.SMS), sms_unreachable=True)
    assert risk_score.unreachable(failing_texts) == "Reminder texts to them failed to deliver"
    assert "unreachable" in kinds(session(IN_3_DAYS), client=failing_texts)


def test_closed_or_past_sessions_score_nothing():
    closed = session(IN_3_DAYS, Status.CANCELLED, barrier=Barrier.COST)
    assert kinds(closed, history=[], checkin=CheckIn(T0, 1)) == []
    assert kinds(session(T0 - timedelta(hours=1), Status.SCHEDULED), history=[]) == []


def test_by_video():
    assert "video" in kinds(replace(session(IN_3_DAYS), mode=Mode.TELE))
    assert "video" not in kinds(session(IN_3_DAYS))


def test_every_factor_keeps_its_source_or_why_it_is_assumed():
    assert set(risk_score.SOURCES) == set(risk_score.WEIGHTS) == set(risk_score.ODDS)
    for kind, note in risk_score.SOURCES.items():
        cited = "§" in note or "http" in note
        assert cited or note.startswith("assumed: "), kind
        assert len(note) > 40, kind  # a reason, not a placeholder
    assert set(risk_score.ACTIONS) == set(risk_score.WEIGHTS)  # every reason has something to do


def test_weights_are_the_published_odds_ratios():
    assert risk_score.WEIGHTS["no_show_last"] == pytest.approx(math.log(4.42))
    assert risk_score.WEIGHTS["video"] == pytest.approx(math.log(1.37))
    assert risk_score.WEIGHTS["lead_4_weeks"] == pytest.approx(math.log(5.45))
    assert risk_score.WEIGHTS["lead_3_weeks"] == pytest.approx(math.log(2.38))


def test_levels_and_strongest_reason_first():
    assert level_of(0) is Level.LOW and level_of(risk_score.MEDIUM_FROM) is Level.MEDIUM
    assert level_of(risk_score.HIGH_FROM) is Level.HIGH
    # An older no-show alone is Low, their last session missed Medium; with a low check-in, High.
    older = session(T0 - timedelta(days=30), Status.NO_SHOW, aid="old")
    alone = score(session(IN_3_DAYS), client=builders.client(), history=regular() + [older],
                  inbox=[], checkin=None, now=T0, zone_name=NY)
    assert [f.kind for f in alone.factors] == ["no_show"] and alone.level is Level.LOW
    last = score(session(IN_3_DAYS), client=builders.client(),
                 history=regular() + [session(T0 - timedelta(days=7), Status.NO_SHOW, aid="old")],
                 inbox=[], checkin=None, now=T0, zone_name=NY)
    assert [f.kind for f in last.factors] == ["no_show_last"] and last.level is Level.MEDIUM
    last = session(T0 - timedelta(days=7), Status.NO_SHOW, aid="old")
    both = score(session(T0 + timedelta(hours=20), Status.SCHEDULED), client=builders.client(),
                 history=regular() + [last], inbox=[], checkin=CheckIn(T0, 1), now=T0, zone_name=NY)
    assert both.level is Level.HIGH
    assert [f.kind for f in both.reasons] == ["no_show_last", "checkin_lowest"]
    assert risk_score.suggested_action(both).startswith("A short, warm check-in")  # what they told us first
    assert risk_score.suggested_action(RiskScore()) == ""
    # Signs that are common and weak never reach Medium on their own.
    for kind in ("video", "early", "no_show"):
        assert level_of(risk_score.WEIGHTS[kind]) is Level.LOW, kind


@pytest.mark.parametrize("said, action", [
    (Barrier.TRANSPORT, "Offer to hold it by video"),
    (Barrier.SCHEDULE, "Offer another time"),
    (Barrier.COST, "Talk through the cost"),
    (Barrier.ANXIETY, "A warm word"),
    (Barrier.ILLNESS, "Ask how they are"),
    (Barrier.OTHER, "Ask what would help"),
])
def test_the_suggested_action_answers_the_barrier_the_client_named(said, action):
    told = InboxItem("ther01", T0, "barrier", "cli001", "next", said, id="b1")
    risk = score(session(IN_3_DAYS, aid="next"), client=builders.client(), history=regular(),
                 inbox=[told], checkin=None, now=T0, zone_name=NY)
    assert [f.kind for f in risk.reasons] == ["barrier"]
    assert risk_score.suggested_action(risk).startswith(action)


def test_contact_links_follow_the_preferred_channel():
    texter = builders.client(channels=(Channel.SMS, Channel.EMAIL))
    assert risk_score.contact_routes(texter) == ["sms", "tel"]
    caller = builders.client(channels=(Channel.VOICE, Channel.SMS))
    assert risk_score.contact_routes(caller) == ["tel", "sms"]
    assert risk_score.contact_routes(replace(texter, sms_opted_out=True)) == ["tel"]
    assert risk_score.contact_routes(replace(texter, phone="")) == []
