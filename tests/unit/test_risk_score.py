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


@pytest.mark.parametrize("days_ago, counts", [(10, True), (89, True), (91, False)])
def test_a_prior_no_show_in_the_last_90_days(days_ago, counts):
    missed = session(T0 - timedelta(days=days_ago), Status.NO_SHOW, aid="old")
    assert ("no_show" in kinds(session(IN_3_DAYS), [missed])) is counts


def test_no_show_reason_names_the_latest_and_counts_them():
    history = [session(T0 - timedelta(days=d), Status.NO_SHOW, aid=f"h{d}") for d in (40, 12)]
    found = score(session(IN_3_DAYS), client=builders.client(), history=regular() + history,
                  inbox=[], checkin=None, now=T0, zone_name=NY)
    assert [f.text for f in found.reasons] == ["Missed a session on Wed Feb 18 (2 in 90 days)"]


@pytest.mark.parametrize("status, counts", [(Status.LATE_CANCELLED, True), (Status.CANCELLED, False)])
def test_a_prior_late_cancel(status, counts):
    past = session(T0 - timedelta(days=10), status, aid="old")
    assert ("late_cancel" in kinds(session(IN_3_DAYS), [past])) is counts


@pytest.mark.parametrize("weeks_ahead, kind", [(5, "lead_4_weeks"), (4, "lead_4_weeks"),
                                               (3, "lead_3_weeks"), (2, None)])
def test_lead_time(weeks_ahead, kind):
    appointment = session(IN_3_DAYS, created_at=IN_3_DAYS - timedelta(weeks=weeks_ahead))
    lead = [k for k in kinds(appointment) if k.startswith("lead")]
    assert lead == ([kind] if kind else [])


@pytest.mark.parametrize("attended, text", [(0, "First session with you"), (1, "Second session with you"),
                                            (2, None)])
def test_a_first_or_second_session(attended, text):
    history = regular()[:attended]
    found = score(session(IN_3_DAYS), client=builders.client(), history=history, inbox=[],
                  checkin=None, now=T0, zone_name=NY)
    assert [f.text for f in found.factors if f.kind == "early"] == ([text] if text else [])


@pytest.mark.parametrize("hours_ahead, status, counts", [
    (23, Status.SCHEDULED, True), (24, Status.SCHEDULED, True),
    (25, Status.SCHEDULED, False),  # the 24-hour reminder still has its chance
    (3, Status.CONFIRMED, False),
])
def test_unconfirmed_within_24_hours(hours_ahead, status, counts):
    assert ("unconfirmed" in kinds(session(T0 + timedelta(hours=hours_ahead), status))) is counts


def test_a_barrier_not_yet_resolved():
    assert "barrier" in kinds(session(IN_3_DAYS, barrier=Barrier.TRANSPORT))
    said = InboxItem("ther01", T0, "barrier", "cli001", barrier=Barrier.COST, id="i1")
    found = score(session(IN_3_DAYS), client=builders.client(), history=regular(), inbox=[said],
                  checkin=None, now=T0, zone_name=NY)
    assert [f.text for f in found.factors] == ["Said this is in the way: the cost"]
    assert kinds(session(IN_3_DAYS), inbox=[replace(said, handled=True)]) == []
    assert kinds(session(IN_3_DAYS), inbox=[replace(said, client_id="someone-else")]) == []


@pytest.mark.parametrize("score_, days_ago, counts", [(1, 1, True), (2, 29, True), (3, 1, False),
                                                      (1, 31, False)])
def test_a_low_check_in_this_month(score_, days_ago, counts):
    answer = CheckIn(T0 - timedelta(days=days_ago), score_)
    assert ("checkin" in kinds(session(IN_3_DAYS), checkin=answer)) is counts


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


def test_weights_are_the_published_odds_ratios():
    assert risk_score.WEIGHTS["no_show"] == pytest.approx(math.log(4.42))
    assert risk_score.WEIGHTS["lead_4_weeks"] == pytest.approx(math.log(5.45))
    assert risk_score.WEIGHTS["lead_3_weeks"] == pytest.approx(math.log(2.38))


def test_levels_and_strongest_reason_first():
    assert level_of(0) is Level.LOW and level_of(risk_score.MEDIUM_FROM) is Level.MEDIUM
    assert level_of(risk_score.HIGH_FROM) is Level.HIGH
    # A prior no-show alone is Medium; with an unconfirmed session tomorrow it is High.
    missed = session(T0 - timedelta(days=7), Status.NO_SHOW, aid="old")
    alone = score(session(IN_3_DAYS), client=builders.client(), history=regular() + [missed],
                  inbox=[], checkin=None, now=T0, zone_name=NY)
    assert alone.level is Level.MEDIUM
    both = score(session(T0 + timedelta(hours=20), Status.SCHEDULED), client=builders.client(),
                 history=regular() + [missed], inbox=[], checkin=CheckIn(T0, 1), now=T0, zone_name=NY)
    assert both.level is Level.HIGH
    assert [f.kind for f in both.reasons] == ["no_show", "unconfirmed", "checkin"]
    assert risk_score.suggested_action(both).startswith("A short, warm check-in")  # what they told us first
    assert risk_score.suggested_action(RiskScore()) == ""


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
