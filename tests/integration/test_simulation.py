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


def test_a_message_carrying_a_last_name_stops_the_run(monkeypatch):
    from portal.services import compose

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
