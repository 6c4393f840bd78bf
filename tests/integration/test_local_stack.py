"""The local stack: seeding, the dev panel's JSON, the outbox, the clock and "run now"."""
import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest

from devstack import create_dev_app
from devstack.localstack import Scheduler
from devstack.schedule import scheduled_functions
from devstack.seed import seed_demo
from portal.domain.model import Mode, Status
from portal.paths import ROOT
from tests.stack import deployed_container


@pytest.fixture
def dev_stack(moto_endpoint, clock):
    container = deployed_container(moto_endpoint, clock=clock, PORTAL_ENV="dev")
    seed = seed_demo(container.deps, "demo-password-123")
    app = create_dev_app(container.config, container=container)
    return container, app, seed


def test_seed_builds_the_demo_practice_once(dev_stack):
    container, app, seed = dev_stack
    store, now = container.store, container.clock.now()
    assert seed["seeded"] and seed["appointments"] >= 14
    therapists = store.list_therapists()
    assert len(therapists) == 2
    windows = {t.name: container.store.get_availability(t.id).windows for t in therapists}
    assert any(w.start.hour >= 17 for w in windows["Maya Chen"])  # an evening window
    assert any(w.weekday == 5 for w in windows["Sam Okafor"])  # a Saturday window
    appts = [a for t in therapists
             for a in store.therapist_appointments(t.id, now, now + timedelta(days=15))]
    assert {a.mode for a in appts} == {Mode.IN_PERSON, Mode.TELE}
    scheduled = [a for a in appts if a.status is Status.SCHEDULED]
    assert len(scheduled) > len(appts) / 2  # most not yet confirmed
    assert all(a.start <= now + timedelta(days=14) for a in appts)
    clients = sum(len(store.list_clients(t.id)) for t in therapists)
    assert clients == 10
    again = seed_demo(container.deps, "another-password")
    assert again["seeded"] is False
    assert sum(len(store.list_clients(t.id)) for t in therapists) == 10
    assert len([a for t in therapists
                for a in store.therapist_appointments(t.id, now, now + timedelta(days=15))]) == len(appts)


def test_dev_appointments_json_lists_sessions_with_working_links(dev_stack):
    container, app, _ = dev_stack
    listing = app.test_client().get("/dev/appointments.json").get_json()
    assert listing and set(listing[0]) == {"id", "therapist_email", "client_first_name", "start",
                                           "end", "mode", "status", "link"}
    assert {a["status"] for a in listing} >= {"scheduled", "confirmed", "attended", "no_show"}
    first = next(a for a in listing if a["status"] in ("scheduled", "confirmed"))  # the next one
    assert first["start"].endswith("Z")
    assert first["link"].startswith(container.config.base_url + "/a/")
    claims = container.links.read(first["link"].rsplit("/", 1)[1], container.clock.now())
    assert claims.appointment_id == first["id"]


def test_dev_clock_reads_sets_and_advances(dev_stack):
    container, app, _ = dev_stack
    web = app.test_client()
    before = web.get("/dev/clock").get_json()["now"]
    moved = web.post("/dev/clock", json={"advance": "PT2H"}).get_json()["now"]
    assert moved > before
    assert web.post("/dev/clock", json={"now": "2030-01-01T09:00:00Z"}).get_json() == \
        {"now": "2030-01-01T09:00:00Z"}
    bad = web.post("/dev/clock", json={"advance": "two hours"})
    assert bad.status_code == 400 and "ISO 8601" in bad.get_json()["error"]
    assert web.post("/dev/clock", data={"advance": "PT1H"}).status_code == 400  # form without CSRF


def test_run_reminders_now_sends_through_the_emulator_into_the_outbox(dev_stack):
    container, app, _ = dev_stack
    web = app.test_client()
    assert web.get("/dev/outbox.json").get_json() == []
    web.post("/dev/clock", json={"advance": "P3D"})
    ran = web.post("/dev/run/reminders", json={})
    assert ran.status_code == 200
    summary = ran.get_json()["summary"]
    assert summary["sent"] > 0
    outbox = web.get("/dev/outbox.json").get_json()
    assert len(outbox) == summary["sent"]
    entry = outbox[0]
    assert set(entry) == {"id", "channel", "to", "subject", "text", "links", "sent_at"}
    assert {e["channel"] for e in outbox} >= {"email", "sms"}
    assert all(e["links"] and e["links"][0].startswith(container.config.base_url + "/a/")
               for e in outbox)
    assert outbox == sorted(outbox, key=lambda e: e["sent_at"] or "", reverse=True)
    # Each entry went through the emulator: moto holds a message with the same id.
    import json
    import urllib.request

    state = json.load(urllib.request.urlopen(f"{container.config.endpoint_url}/moto-api/data.json",
                                             timeout=120))
    emulated = {m["id"] for m in state["ses"]["RawMessage"]} | \
        {m["message_id"] for m in state["sns"]["SMS"]}
    assert {e["id"] for e in outbox if e["channel"] != "voice"} <= emulated
    assert web.post("/dev/run/nonesuch", json={}).status_code == 404
    page = web.get("/dev/")
    assert page.status_code == 200 and b"Outbox" in page.data


def test_scheduler_fires_functions_when_the_dev_clock_passes_their_time(dev_stack):
    container, _, _ = dev_stack
    scheduler = Scheduler(container, scheduled_functions("dev"))
    scheduler.tick()
    assert scheduler.runs == []  # nothing due yet
    container.clock.advance(timedelta(minutes=6))
    scheduler.tick()
    assert [name for name, _ in scheduler.runs] == ["reminders", "waitlist"]
    scheduler.tick()
    assert len(scheduler.runs) == 2  # once per due time


def _run_stack(env_extra, timeout=60):
    env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "devstack"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_port_in_use_stops_with_one_clear_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = _run_stack({"PORT": str(port)})
    assert done.returncode == 2
    assert done.stderr.strip() == (f"make run: Port {port} is already in use: stop the other "
                                   f"program or run `PORT=5001 make run`")


@pytest.mark.parametrize("env, expected", [
    ({"AWS_ENDPOINT_URL": "http://127.0.0.1:9"}, "AWS_ENDPOINT_URL=http://127.0.0.1:9 does not answer"),
    ({"PORT": "fifty"}, "PORT must be a number"),
    ({"LINK_TTL_DAYS": "many"}, "LINK_TTL_DAYS must be a whole number"),
])
def test_bad_settings_stop_with_one_clear_line(env, expected):
    env.setdefault("PORT", "5999")
    done = _run_stack(env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "Traceback" not in done.stderr
