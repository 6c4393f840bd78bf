"""Ten clients race through their links to move into one open slot, against moto in server mode:
the database's slot claims let exactly one win; the others see a kind message and fresh times."""
import re
from datetime import timedelta

from portal import create_app
from portal.services.sessions import open_times
from tests import builders
from tests.conftest import BASE_URL, T0
from tests.racing import booked_racers, post_all_at_once

RACERS = 10
TARGET = T0 + timedelta(days=3, hours=1)  # Thursday 10:00 in New York


def test_ten_clients_racing_for_one_slot_through_the_web_see_exactly_one_win(aws):
    store = aws.store
    therapist = builders.therapist()
    store.add_therapist(therapist, builders.weekday_availability())
    app = create_app(aws.config, container=aws)
    racers = []
    for _, a in booked_racers(aws.deps, therapist, RACERS, first_day=1):  # Tue and Wed, 09:00 on
        http = app.test_client()
        path = aws.links.appointment_url(a).removeprefix(BASE_URL)
        # The picker starts from the day each racer asks for (its first view is short).
        listing = http.get(f"{path}/reschedule?from={TARGET.date().isoformat()}").get_data(as_text=True)
        assert open_times.slot_value(TARGET) in listing  # each saw the time as open
        token = re.search(r'name="csrf_token" value="([^"]+)"', listing).group(1)
        racers.append((http, path + "/reschedule", {"csrf_token": token, "version": a.version,
                                                    "start": open_times.slot_value(TARGET)}))
    answers = post_all_at_once(racers, wait_seconds=120)
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
