"""The waitlist in the workspace, on the demo practice: add a client with no session from
their page, see the list on the dashboard, a freed time's story on the session page, the
figures, and the settings."""
from datetime import timedelta

import pytest

from portal.domain.audit import Actor
from portal.services.sessions import booking
from portal.services.waitlist.waves import send_due_offers
from tests.workspace_support import Web, seeded, text


@pytest.fixture(autouse=True)
def demo_practice(deps):
    seeded(deps)


@pytest.fixture
def maya(app):
    web = Web(app)
    web.login()
    return web


def test_add_a_client_see_the_list_and_the_story_of_a_freed_time(maya, deps, store, clock):
    added = maya.post("/t/clients/cmari05/waitlist")
    assert added.status_code == 302 and store.waitlist_entry("cmari05") is not None
    page = text(maya.get("/t/clients/cmari05"))
    assert "On the waitlist since" in page and "Take off the waitlist" in page
    dashboard = text(maya.get("/t/"))
    assert "Waitlist" in dashboard and "Maria G." in dashboard
    freed = store.get_appointment("demomche03")
    booking.cancel(deps, store.load_context(freed.id, freed.client_id, freed.therapist_id),
                   freed.version, actor=Actor.client())
    clock.advance(timedelta(minutes=3))
    send_due_offers(deps)
    story = text(maya.get(f"/t/appointments/{freed.id}"))
    assert "Its freed time" in story and "Wave 1:" in story
    assert "Times freed" in text(maya.get("/t/stats"))
    removed = maya.post("/t/clients/cmari05/waitlist/leave")
    assert removed.status_code == 302 and store.waitlist_entry("cmari05") is None


def test_the_settings_page_has_the_waitlist_settings(maya, store):
    page = text(maya.get("/t/settings"))
    assert "Clients per wave" in page and "Wait before offering a freed time" in page
