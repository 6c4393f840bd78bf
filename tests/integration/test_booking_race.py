"""Ten clients race for one slot against moto in server mode: the database lets exactly one win."""
import threading
from datetime import timedelta

from portal.domain.audit import Actor
from portal.domain.errors import SlotTaken
from portal.domain.model import Mode
from portal.services.sessions.booking import record_booking
from tests import builders
from tests.conftest import T0

RACERS = 10


def test_ten_threads_racing_for_one_slot_see_exactly_one_win(aws):
    store = aws.store
    therapist = builders.therapist()
    store.add_therapist(therapist, builders.weekday_availability())
    clients = [builders.client(cid=f"cli{n:03d}", tid=therapist.id) for n in range(RACERS)]
    for c in clients:
        store.add_client(c)
    slot_start = T0 + timedelta(days=1) + timedelta(hours=1)  # Tuesday 10:00 in New York
    barrier = threading.Barrier(RACERS)
    wins, losses, errors = [], [], []

    def race(client):
        barrier.wait()
        try:
            wins.append(record_booking(aws.deps, therapist, client, slot_start, Mode.TELE,
                                       actor=Actor.client("test")))
        except SlotTaken:
            losses.append(client.id)
        except Exception as problem:  # anything else is a bug, not a lost race
            errors.append(problem)

    threads = [threading.Thread(target=race, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(wins) == 1 and len(losses) == RACERS - 1
    stored = store.therapist_appointments(therapist.id, slot_start - timedelta(hours=2),
                                          slot_start + timedelta(hours=2))
    assert [a.id for a in stored] == [wins[0].id]
