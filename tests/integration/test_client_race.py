"""Ten clients race through their links to move into one open slot, against moto in server mode:
the database's slot claims let exactly one win; the others see a kind message and fresh times."""
import re
import threading
from datetime import timedelta

from portal import create_app
from portal.domain.audit import Actor
from portal.domain.model import Mode
from portal.services import open_times
from portal.services.booking import book_appointment
from tests import builders
from tests.conftest import BASE_URL, T0

RACERS = 10
TARGET = T0 + timedelta(days=3, hours=1)  # Thursday 10:00 in New York


def test_ten_clients_racing_for_one_slot_through_the_web_see_exactly_one_win(aws):
    store = aws.store
    therapist = builders.therapist()
    store.add_therapist(therapist, builders.weekday_availability())
    app = create_app(aws.config, container=aws)
    racers = []
    for n in range(RACERS):
        client = builders.client(cid=f"cli{n:03d}", tid=therapist.id, first_name=f"Racer{n}")
        store.add_client(client)
        start = T0 + timedelta(days=1 + n // 8, hours=n % 8)  # Tuesday and Wednesday, 09:00 on
        a = book_appointment(aws.deps, therapist, client, start, Mode.TELE, actor=Actor.system("test"),
                             require_open_slot=False)
        http = app.test_client()
        path = aws.links.appointment_url(a).removeprefix(BASE_URL)
        # The picker starts from the day each racer asks for (its first view is short).
        listing = http.get(f"{path}/reschedule?from={TARGET.date().isoformat()}").get_data(as_text=True)
        assert open_times.slot_value(TARGET) in listing  # each saw the time as open
        token = re.search(r'name="csrf_token" value="([^"]+)"', listing).group(1)
        racers.append((http, path, {"csrf_token": token, "version": a.version,
                                    "start": open_times.slot_value(TARGET)}))
    gate = threading.Barrier(RACERS)
    answers = []

    def race(http, path, form):
        gate.wait()
        answer = http.post(path + "/reschedule", data=form)
        answers.append((answer.status_code, answer.get_data(as_text=True)))

    threads = [threading.Thread(target=race, args=racer) for racer in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    codes = sorted(code for code, _ in answers)
    assert codes == [302] + [409] * (RACERS - 1)
    for code, body in answers:
        if code == 409:
            assert "Someone else just took that time" in body
            assert open_times.slot_value(TARGET) not in body  # the fresh times leave it out
            assert 'name="start"' in body
    at_target = store.therapist_appointments(therapist.id, TARGET - timedelta(minutes=55),
                                             TARGET + timedelta(minutes=55))
    assert [a.start for a in at_target] == [TARGET]
