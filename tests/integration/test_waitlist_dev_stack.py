"""The waitlist on the seeded dev stack, walked with the dev clock through the scheduled function
as `make run` fires it: a cancel, the grace period, wave 1, its claim window, wave 2, a claim
from the outbox's link (the client's later session moves in), and the rest withdrawn."""
import re
from dataclasses import replace
from datetime import timedelta

from devstack import create_dev_app
from devstack.localstack import Scheduler
from devstack.schedule import scheduled_functions
from portal.domain.audit import Actor
from portal.services.sessions import booking
from tests.seed_support import seeded_demo
from tests.stack import deployed_container


def offers_in(web, base_url):
    return [(m["to"], link) for m in web.get("/dev/outbox.json").get_json()
            for link in m.get("links") or [] if link.startswith(base_url + "/o/")]


def tick(container, scheduler, minutes):
    container.clock.advance(timedelta(minutes=minutes))
    scheduler.tick()


def test_a_cancelled_demo_session_is_offered_in_waves_and_one_tap_takes_it(moto_endpoint, clock):
    container = deployed_container(moto_endpoint, clock=clock, PORTAL_ENV="dev")
    seeded_demo(container.deps, "demo-password-123", history=False)
    store, deps, base = container.store, container.deps, container.config.base_url
    store.save_settings(replace(store.get_settings(), wave_size=2))
    web = create_dev_app(container.config, container=container).test_client()
    scheduler = Scheduler(container, {"waitlist": scheduled_functions("dev")["waitlist"]})
    scheduler.tick()  # the scheduler's first fire lines it up on its rate

    freed = store.get_appointment("demomche03")  # Sam's first session: Sam is not on the list
    ctx = store.load_context(freed.id, freed.client_id, freed.therapist_id)
    booking.cancel(deps, ctx, freed.version, actor=Actor.client())
    tick(container, scheduler, 1)
    assert offers_in(web, base) == []  # the grace period: an undo now would offer nothing
    tick(container, scheduler, 5)
    wave1 = offers_in(web, base)
    assert len(wave1) == 2
    tick(container, scheduler, 5)
    assert len(offers_in(web, base)) == 2  # the claim window of wave 1 is still open
    tick(container, scheduler, 15)
    offers = offers_in(web, base)
    assert len(offers) == 3
    _, link = offers[2]  # the wave 2 offer
    path = link.removeprefix(base)
    page = web.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    taken = web.post(path, data={"csrf_token": token})
    assert taken.status_code == 200 and "It's yours" in taken.get_data(as_text=True)
    opening = store.openings_of(freed.therapist_id, freed.start, freed.start)[0]
    winner = store.get_appointment(opening.claimed_appointment_id, consistent=True)
    assert winner.start == freed.start and winner.client_id == opening.claimed_by
    for _, other in offers[:2]:  # withdrawn: their links answer kindly
        answer = web.get(other.removeprefix(base))
        assert answer.status_code == 409
        assert "Someone took this time just before you" in answer.get_data(as_text=True)
    tick(container, scheduler, 30)
    # No wave follows a claimed time. (The winner's own later session moved into it, so the
    # time that session held is freed in turn and may be offered: that is another opening.)
    about_this_time = [link for _, link in offers_in(web, base) if f"/o/{opening.id}-" in link]
    assert len(about_this_time) == 3
