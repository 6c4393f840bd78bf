"""The workspace on DynamoDB (moto, server mode): throttle counters every instance shares,
the call budget per action, and the CSV import run twice."""
from datetime import timedelta

import pytest

from portal import create_app
from portal.adapters.codec import keys
from portal.services.accounts import sign_in as auth
from portal.wiring import Container
from tests.conftest import T0
from tests.seed_support import seeded_demo
from tools.bench_workspace import GOALS, lines, measure

PASSWORD = "bench-password-123"


def test_failed_sign_ins_are_counted_in_the_table_for_every_instance(aws, clock):
    seeded_demo(aws.deps, PASSWORD)
    # A second "Lambda instance": its own container and DynamoDB client, the same table.
    other = Container(aws.config, clock=clock)
    for instance in (aws, other, aws, other, aws):
        with pytest.raises(auth.SignInFailed):
            auth.sign_in(instance.deps, "maya@riverbend.example", "guess", "203.0.113.5")
    with pytest.raises(auth.TooManyAttempts, match="Please try again in 15 minutes"):
        auth.sign_in(other.deps, "maya@riverbend.example", PASSWORD, "198.51.100.2")
    window = int(T0.timestamp()) // auth.WINDOW_SECONDS
    record = aws.store.table.get(*keys.throttle_key("acct", "maya@riverbend.example", window))
    assert record["failures"] == 6  # five failures and the refused sixth
    assert isinstance(record["expires_at"], int) and record["expires_at"] > T0.timestamp() + 900
    clock.advance(timedelta(minutes=15))
    assert auth.sign_in(other.deps, "maya@riverbend.example", PASSWORD, "198.51.100.2").id == "mchen1"


def test_each_workspace_action_keeps_to_its_call_budget(aws):
    seeded_demo(aws.deps, PASSWORD)
    calls = measure(aws, create_app(aws.config, container=aws))
    assert set(calls) == set(GOALS)
    for name, made in calls.items():
        own = [op for op, sending in made if not sending]
        assert "Scan" not in [op for op, _ in made], name
        assert len(own) <= GOALS[name], (name, own)
    assert [op for op, _ in calls["appointment page"]].count("BatchGetItem") == 1
    assert "TransactWriteItems" in [op for op, _ in calls["reschedule on the client's behalf"]]
    assert aws.store.get_appointment("demomche02", consistent=True).version == 2
    assert len(lines(calls)) == len(GOALS)


def test_importing_twice_on_dynamodb_creates_nothing_twice(aws, tmp_path):
    seeded_demo(aws.deps, PASSWORD)
    clients = tmp_path / "clients.csv"
    clients.write_text("therapist_email,first_name,last_name,email,timezone,channels\n"
                       "sam@riverbend.example,Ines,Costa,ines@example.com,Europe/Lisbon,email\n"
                       "sam@riverbend.example,Bad,Row,not-an-email,Europe/Lisbon,email\n")
    sessions = tmp_path / "appointments.csv"
    sessions.write_text("therapist_email,client_email,start,mode\n"
                        "sam@riverbend.example,ines@example.com,2026-03-21 11:00,tele\n")
    runner = create_app(aws.config, container=aws).test_cli_runner()
    for _ in range(2):
        runner.invoke(args=["import-clients", str(clients)])
        runner.invoke(args=["import-appointments", str(sessions)])
    ines = [c for c in aws.store.list_clients("sokaf1") if c.email == "ines@example.com"]
    assert len(ines) == 1
    booked = aws.store.client_appointments(ines[0].id, T0, T0 + timedelta(days=30))
    assert [a.start.isoformat() for a in booked] == ["2026-03-21T15:00:00+00:00"]
