"""Issue 10's rough edges: the move page, the client page, zones and phones."""
from tests.workspace_support import MAYA, Web, app_on, seeded, text


def test_the_move_page_never_offers_the_current_time(deps):
    seeded(deps)
    web = Web(app_on(deps))
    web.login(MAYA)
    appt = deps.store.get_appointment("demomche02")
    page = web.get("/t/appointments/demomche02/reschedule").get_data(as_text=True)
    assert appt.start.strftime("%Y-%m-%dT%H:%M:%SZ") not in page
    assert 'class="actions move-actions"' in page  # the sticky submit bar


def test_the_client_page_splits_upcoming_and_past(deps):
    seeded(deps)
    web = Web(app_on(deps))
    web.login(MAYA)
    words = text(web.get("/t/clients/calex01"))
    assert words.index("Upcoming sessions") < words.index("Past sessions")
    assert "not yet confirmed" in words[words.index("Upcoming sessions"):words.index("Past sessions")]


def test_zones_read_as_places_and_phones_are_formatted_and_tappable(deps):
    seeded(deps)
    web = Web(app_on(deps))
    web.login(MAYA)
    page = web.get("/t/clients/cpriy03")
    assert "Los Angeles time" in text(page) and "America/Los_Angeles" not in text(page)
    assert '<a href="tel:+12025550145">(202) 555-0145</a>' in page.get_data(as_text=True)
    for url in ("/t/clients", "/t/appointments", "/t/availability", "/t/"):
        assert "America/New_York" not in text(web.get(url)), url
