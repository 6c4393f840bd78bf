"""Twenty clients tap one waitlist offer at the same moment, against moto in server mode: the
slot-claim transaction lets exactly one win (their later session moves in); the other 19 see
the kind page; the store holds no overlap (every time cell names the winner's session)."""
import re
from dataclasses import replace
from datetime import timedelta

from portal import create_app
from portal.adapters.codec import keys
from portal.domain.audit import Actor
from portal.domain.model import Mode
from portal.domain.timemath import cells
from portal.domain.waitlist import OfferSent, WaitlistPrefs
from portal.services.sessions import booking
from portal.services.waitlist import entries
from tests import builders
from tests.conftest import BASE_URL, T0
from tests.racing import booked_racers, post_all_at_once

RACERS = 20
FREED = T0 + timedelta(days=2, hours=1)  # Wednesday 10:00 in New York


def test_twenty_clients_claiming_one_offer_at_once_see_exactly_one_win(aws):
    store, deps = aws.store, aws.deps
    therapist = builders.therapist()
    store.add_therapist(therapist, builders.weekday_availability())
    app = create_app(aws.config, container=aws)
    sessions = []
    for c, a in booked_racers(deps, therapist, RACERS, first_day=7):
        entries.join(deps, store.load_context(a.id, c.id, therapist.id), WaitlistPrefs())
        sessions.append(a)
    freed_client = builders.client(cid="freed1", tid=therapist.id)
    store.add_client(freed_client)
    freed = booking.record_booking(deps, therapist, freed_client, FREED, Mode.TELE,
                                   actor=Actor.system("test"))
    booking.cancel(deps, store.load_context(freed.id, freed_client.id, therapist.id), freed.version,
                   actor=Actor.client())
    opening = store.openings_of(therapist.id, FREED, FREED)[0]
    # Every racer holds an offer (as if three waves had gone out), written as one record.
    offered = replace(opening, offers=tuple(OfferSent(a.client_id, 1, T0, "sms") for a in sessions),
                      wave=1, version=opening.version + 1)
    assert store.save_opening(offered)
    racers = []
    for a in sessions:
        http = app.test_client()
        path = aws.links.offer_url(offered, a.client_id).removeprefix(BASE_URL)
        page = http.get(path).get_data(as_text=True)
        assert "Take this time" in page
        racers.append((http, path, {"csrf_token": re.search(
            r'name="csrf_token" value="([^"]+)"', page).group(1)}))
    answers = post_all_at_once(racers, wait_seconds=180)
    assert sorted(code for code, _ in answers) == [200] + [409] * (RACERS - 1)
    assert sum("It's yours" in body for _, body in answers) == 1
    assert sum("Someone took this time just before you" in body for _, body in answers) == RACERS - 1
    winner = store.get_opening(opening.id, consistent=True)
    assert winner.status == "claimed"
    moved = [a for a in sessions if store.get_appointment(a.id, consistent=True).start == FREED]
    assert [a.client_id for a in moved] == [winner.claimed_by]
    hold_end = FREED + timedelta(minutes=therapist.session_minutes + therapist.buffer_minutes)
    for cell in cells(FREED, hold_end):  # no overlap: each cell is held by the winner alone
        item = aws.store.table.get(*keys.slot_key(therapist.id, cell), consistent=True)
        assert item["appointment_id"] == moved[0].id
