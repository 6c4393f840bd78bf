"""The simulated practice, small (`make simulate`'s little sibling): 2 therapists, 30 clients,
4 weeks, 3 scenarios, through the real app. Every invariant holds and is checked many times;
the default reminder schedule misses fewer sessions than no reminders; a broken rule stops it."""
import time

import pytest

from portal.wiring import set_default_container
from sim.__main__ import run_one
from sim.engine import Options, Simulation
from sim.invariants import NAMES, InvariantBroken
from sim.scenarios import BY_KEY

SMALL = Options(therapists=2, clients=30, weeks=4, seed=1)


@pytest.fixture(autouse=True)
def _reset_handlers():
    yield
    set_default_container(None)


def test_a_small_practice_holds_every_invariant_and_reminders_cut_missed_sessions():
    started = time.monotonic()
    runs = {key: run_one(key, SMALL) for key in ("none", "default", "checkins")}
    elapsed = time.monotonic() - started
    for key, run in runs.items():
        row = run["row"]
        assert row["booked"] >= 40, key
        assert row["attended"] + row["freed"] <= row["booked"]
        assert row["calls"] > 0 and row["calls_per_session"] > 0
    assert runs["default"]["row"]["missed_pct"] < runs["none"]["row"]["missed_pct"]
    # No reminders: only the "you're booked" and change confirmations go out.
    assert runs["none"]["row"]["messages_per_kept"] < runs["default"]["row"]["messages_per_kept"]
    everything = runs["checkins"]
    assert everything["ledger"].get("checkins answered", 0) > 0
    assert everything["ledger"].get("texts from clients", 0) > 0
    for name in NAMES:  # each invariant was checked, and held every time
        assert sum(r["passed"][name] for r in runs.values()) > 0, name
    assert runs["checkins"]["passed"]["no_5xx"] > 20  # the clients used the pages
    assert elapsed < 60, f"the small run took {elapsed:.0f} s"


def test_the_risk_levels_are_ordered_by_the_share_of_sessions_missed():
    """What the dashboard showed 24 h before each session (sessions.csv's rows), against what
    happened, on a fixed small practice (check-ins on, 2 therapists, 40 clients, 8 weeks, the
    last 6): Low misses fewest, High most, High stays a few and Low is a real share."""
    from sim.risk_report import LEVELS, measured, summary

    run = run_one("checkins", Options(therapists=2, clients=40, weeks=8, seed=1))
    rows = measured(run["sessions"], weeks=8)
    assert len(rows) >= 150
    found = summary(rows)
    by_level = {level: (n, share, missed) for level, n, share, missed in found["levels"]}
    assert all(by_level[level][0] >= 10 for level in LEVELS)  # each level in use
    assert by_level["Low"][2] < by_level["Medium"][2] < by_level["High"][2]
    assert by_level["High"][1] <= 0.2 and by_level["Low"][1] >= 0.3
    assert found["oracle_auc"] > found["auc"] > 0.5


def test_a_message_carrying_a_last_name_stops_the_run(monkeypatch):
    from portal.services.messaging import compose

    plain = compose.reminder_sms
    monkeypatch.setattr(compose, "reminder_sms", lambda values, nudge=False: plain(values, nudge) + " Abbott")
    tiny = Options(therapists=1, clients=25, weeks=1, seed=1)
    with pytest.raises(InvariantBroken, match="allow-list"):
        Simulation(BY_KEY["default"], tiny).run()


def test_dynamodb_and_the_in_memory_table_get_the_same_calls(moto_endpoint):
    """The same code on both: the same logical operations, counted at the table, are the calls
    botocore makes to DynamoDB, and the in-memory run makes them too."""
    runs = {}
    for store in ("dynamodb", "memory"):
        options = Options(therapists=1, clients=8, weeks=1, seed=1, store=store, endpoint=moto_endpoint, days=1)
        runs[store] = Simulation(BY_KEY["two_way"], options).run()
    on_dynamodb, in_memory = runs["dynamodb"], runs["memory"]
    botocore = on_dynamodb.counters[1].calls
    assert sum(botocore.values()) > 100
    assert botocore == on_dynamodb.counters[0].calls == in_memory.counters[0].calls


def test_with_the_waitlist_on_clients_join_and_a_freed_time_is_refilled_by_a_claim(monkeypatch):
    """Clients who want an earlier time join from their appointment page, offers go out in
    waves from the scheduled function, and a claim moves a session into a freed time, with
    every invariant (no overlap, slot cells) holding. Everyone here joins and takes every
    offer they read, at once, so a small practice is enough to see it."""
    from sim import parameters as P

    monkeypatch.setattr(P, "WAITLIST_JOIN", P.P(1.0, "", "test"))
    monkeypatch.setattr(P, "WAITLIST_CLAIM", P.P(1.0, "", "test"))
    monkeypatch.setattr(P, "WAITLIST_CLAIM_BY_TEXT", P.P(0.0, "", "test"))
    monkeypatch.setattr(P, "WAITLIST_ANSWER_MINUTES", P.P((1, 2), "", "test"))
    run = run_one("waitlist", Options(therapists=2, clients=30, weeks=3, seed=1))
    ledger = run["ledger"]
    assert ledger["waitlist joins"] >= 10
    assert ledger["waitlist: offers sent"] > 0 and ledger.get("offers claimed by link", 0) > 0
    assert ledger["waitlist: times refilled by a claim"] >= 1
    assert run["passed"]["no_overlap"] > 0 and run["passed"]["slot_cells"] > 0
    without = run_one("checkins", Options(therapists=2, clients=30, weeks=3, seed=1))["ledger"]
    assert "waitlist joins" not in without and not without.get("waitlist: times freed")  # off: nothing
