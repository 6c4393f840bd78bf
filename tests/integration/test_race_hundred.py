"""A hundred clients race through their links for one open time, against the local stack's
emulator (moto in server mode, one request at a time). The emulator queues them far past
the app's read timeout: the database's slot claims still let at most one win, and every
client answers with a kind page (302, 409 or 503 with Retry-After), never a 500.

The emulator gets a server of its own here: the backlog the race leaves must not slow the
tests that follow. Each racer's own session is seeded with plain puts (moto copies the
whole table for every item of a transaction; see DESIGN "moto's quirks").
"""
import re
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest

from portal import create_app
from portal.adapters.codec import keys, people, sessions
from portal.domain.errors import ServiceBusy
from portal.domain.model import Appointment, Channel, Mode
from portal.domain.timemath import cells
from portal.services.sessions import open_times as actions
from tests import builders
from tests.conftest import BASE_URL, T0

RACERS = 100
TARGET = T0 + timedelta(days=3, hours=1)  # Thursday 10:00 in New York
RACE_DAYS = (1, 2, 4, 7)  # Tuesday, Wednesday, Friday, next Monday: Thursday stays open


@pytest.fixture
def own_stack(clock):
    from devstack.localstack import start_emulator
    from tests.stack import deployed_container

    server, endpoint = start_emulator()
    yield deployed_container(endpoint, clock=clock)
    server.stop()


def _seed(aws, therapist):
    """The racers and their sessions (15 minutes each), as plain batched puts."""
    items, racers = [], []
    for n in range(RACERS):
        client = builders.client(cid=f"cli{n:03d}", tid=therapist.id, first_name=f"Racer{n}",
                                 email=f"racer{n}@example.com", channels=(Channel.EMAIL,))
        start = T0 + timedelta(days=RACE_DAYS[n // 32], minutes=15 * (n % 32))
        session = Appointment(id=f"race{n:03d}", therapist_id=therapist.id, client_id=client.id,
                              start=start, end=start + timedelta(minutes=15), mode=Mode.TELE,
                              created_at=T0)
        items += [people.client_to_item(client), sessions.appointment_to_item(session, (), session.end)]
        items += [{"pk": keys.slot_key(therapist.id, c)[0], "sk": "S", "type": "slot",
                   "appointment_id": session.id} for c in cells(session.start, session.end)]
        racers.append(session)
    aws.store.table.put_many(items)
    return racers


def _patiently(read, tries=40):
    """Reads after the race wait for the emulator to work through its backlog."""
    for _ in range(tries):
        try:
            return read()
        except ServiceBusy:
            time.sleep(3)
    raise AssertionError("the emulator never caught up")


def test_a_hundred_racers_for_one_slot_one_winner_and_only_kind_answers(own_stack):
    aws = own_stack
    therapist = builders.therapist(session_minutes=15, buffer_minutes=0)
    aws.store.add_therapist(therapist, builders.weekday_availability())
    app = create_app(aws.config, container=aws)
    racers = []
    for session in _seed(aws, therapist):
        http = app.test_client()
        path = aws.links.appointment_url(session).removeprefix(BASE_URL)
        listing = http.get(path + "/reschedule").get_data(as_text=True)
        assert actions.slot_value(TARGET) in listing
        token = re.search(r'name="csrf_token" value="([^"]+)"', listing).group(1)
        racers.append((http, path, {"csrf_token": token, "version": session.version,
                                    "start": actions.slot_value(TARGET)}))
    gate, answers = threading.Barrier(RACERS), []

    def race(http, path, form):
        gate.wait()
        answer = http.post(path + "/reschedule", data=form)
        answers.append((answer.status_code, answer.headers.get("Retry-After"),
                        answer.get_data(as_text=True)))

    threads = [threading.Thread(target=race, args=racer) for racer in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    codes = Counter(code for code, _, _ in answers)
    print(f"\n{RACERS} racers for one slot: {dict(sorted(codes.items()))}")
    assert len(answers) == RACERS
    assert set(codes) <= {302, 409, 503}, codes
    assert codes[302] <= 1
    for code, retry_after, body in answers:
        assert "Traceback" not in body
        if code == 503:
            assert retry_after == "5" and "busy for a moment" in body
    window = (TARGET - timedelta(minutes=10), TARGET + timedelta(minutes=10))
    at_target = _patiently(lambda: aws.store.therapist_appointments(therapist.id, *window))
    assert len(at_target) == 1  # exactly one winner in the store, whoever was told what
    first_cell = cells(TARGET, TARGET + timedelta(minutes=15))[0]
    held = _patiently(lambda: aws.store.table.get(*keys.slot_key(therapist.id, first_cell)))
    assert held["appointment_id"] == at_target[0].id  # its claim, and no one else's
