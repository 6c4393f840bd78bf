"""What the race tests share: racers who each hold a booked session, and posting every
racer's form at the same instant (one thread each, released together by a barrier)."""
import threading
from datetime import timedelta

from portal.domain.audit import Actor
from portal.domain.model import Mode
from portal.services.sessions import booking
from tests import builders
from tests.conftest import T0


def booked_racers(deps, therapist, count: int, first_day: int):
    """``count`` clients of ``therapist``, each with a video session from ``first_day`` days
    after T0 on, eight an hour apart a day from 09:00: [(client, session)]."""
    racers = []
    for n in range(count):
        client = builders.client(cid=f"cli{n:03d}", tid=therapist.id, first_name=f"Racer{n}")
        deps.store.add_client(client)
        start = T0 + timedelta(days=first_day + n // 8, hours=n % 8)
        racers.append((client, booking.record_booking(deps, therapist, client, start, Mode.TELE,
                                                      actor=Actor.system("test"))))
    return racers


def post_all_at_once(forms, wait_seconds: int):
    """POST each (http client, path, form data) at once; [(status, body)] as they answered."""
    gate, answers = threading.Barrier(len(forms)), []

    def race(http, path, data):
        gate.wait()
        answer = http.post(path, data=data)
        answers.append((answer.status_code, answer.get_data(as_text=True)))

    threads = [threading.Thread(target=race, args=form) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(wait_seconds)
    return answers
