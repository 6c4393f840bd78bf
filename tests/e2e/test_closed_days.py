"""The settings page's Closed days, through the Flask test client: a holiday closed, its booked
sessions listed for their therapist, and a forged booking on it refused kindly."""
import re
from datetime import date, datetime, time, timedelta, timezone

import pytest

from portal.domain.audit import Actor
from portal.domain.model import Mode
from portal.domain.timemath import local_wall_to_utc
from portal.services.sessions import open_times
from portal.services.sessions.booking import record_booking
from portal.services.workspace import closed_days
from tests.conftest import BASE_URL
from tests.workspace_support import MAYA, Web, seeded, text

DEC_14 = datetime(2026, 12, 14, 14, 0, tzinfo=timezone.utc)  # a Monday, 9:00 in New York
CHRISTMAS = date(2026, 12, 25)


@pytest.fixture(autouse=True)
def demo_practice(deps):
    deps.clock.set(DEC_14)
    return seeded(deps)


def maya_and_client(deps):
    maya = deps.store.therapist_by_email(MAYA)
    return maya, deps.store.list_clients(maya.id)[0]


def book_on(deps, day, hour=10):
    maya, client = maya_and_client(deps)
    start = local_wall_to_utc(day, time(hour), maya.timezone)
    return record_booking(deps, maya, client, start, Mode.TELE, actor=Actor.system("test"))


def form_of(page: str) -> dict:
    """The Closed days form as the page sends it: every holiday ticked as shown."""
    section = page[page.index('id="closed-h"'):]
    return {"version": re.search(r'name="version" type="hidden" value="(\d+)"', section).group(1),
            "country": "US", "state": "",
            "listed": re.search(r'name="listed" type="hidden" value="([^"]*)"', section).group(1)
            .replace("&#39;", "'"),
            "holidays": [v.replace("&#39;", "'") for v in re.findall(
                r'<input checked id="holidays-\d+" name="holidays" type="checkbox" value="([^"]+)"', section)],
            "own": ""}


def test_closing_christmas_lists_its_booked_session_and_keeps_it(app, deps):
    on_christmas = book_on(deps, CHRISTMAS)
    maya = Web(app)
    maya.login(MAYA)
    assert "Booked on a day the practice is closed" not in text(maya.get(f"/t/appointments/{on_christmas.id}"))
    page = maya.get("/t/settings").get_data(as_text=True)
    assert "Closed days" in page and "Christmas Day, Fri Dec 25, 2026" in page
    data = form_of(page)
    assert "Christmas Day" in data["holidays"] and "Labor Day" in data["holidays"]  # ticked by default
    data["holidays"] = [h for h in data["holidays"] if h != "Labor Day"]
    saved = maya.post("/t/settings/closed-days", dict(data, own="12/24/2026"))
    assert saved.status_code == 302
    after = maya.get("/t/settings")
    words = text(after)
    assert "Booked on a day the practice is closed" in words
    assert f"/t/appointments/{on_christmas.id}" in after.get_data(as_text=True)
    on_the_day = [a for t in deps.store.list_therapists()
                  for a in deps.store.therapist_appointments(t.id, DEC_14, DEC_14 + timedelta(days=30))
                  if a.status.is_open and a.start.date() == CHRISTMAS]  # the seed's sessions too
    assert len(on_the_day) >= 2
    assert f"{len(on_the_day)} booked sessions fall on a closed day" in words
    assert words.count("Friday, December 25 at") == len(on_the_day)
    settings = deps.store.get_settings()
    assert {CHRISTMAS, date(2026, 12, 24), date(2027, 1, 1)} <= set(settings.closed_days)
    assert date(2027, 9, 6) not in settings.closed_days  # Labor Day was unticked: open
    assert deps.store.get_appointment(on_christmas.id).status.is_open
    hours = text(maya.get("/t/availability"))
    assert "Booked on a day the practice is closed" in hours
    session_page = text(maya.get(f"/t/appointments/{on_christmas.id}"))
    assert "Booked on a day the practice is closed" in session_page
    assert "It stays booked unless you move or cancel it" in session_page


def test_a_date_that_cant_be_read_is_named_and_nothing_is_saved(app, deps):
    maya = Web(app)
    maya.login(MAYA)
    data = form_of(maya.get("/t/settings").get_data(as_text=True))
    before = deps.store.get_settings()
    bad = maya.post("/t/settings/closed-days", dict(data, own="2026-12-24\nthe 31st"))
    assert bad.status_code == 400
    assert "“the 31st” isn't a date we can read" in text(bad)
    assert "the 31st" in bad.get_data(as_text=True)  # what was typed is kept to fix
    assert deps.store.get_settings() == before


def test_the_form_needs_its_csrf_token(app, deps):
    maya = Web(app)
    maya.login(MAYA)
    data = form_of(maya.get("/t/settings").get_data(as_text=True))
    refused = maya.post("/t/settings/closed-days", data, csrf=False)
    assert refused.status_code == 400
    assert deps.store.get_settings().closed_days == ()


def test_a_forged_move_onto_a_closed_day_is_refused_kindly_and_changes_nothing(app, deps):
    maya, _ = maya_and_client(deps)
    s = deps.store.get_settings()
    listed = [h.name for h in closed_days.upcoming_holidays(s, DEC_14.date())]
    closed_days.change_closed_days(deps, maya, "US", "", listed, listed, "", s.version)
    session = book_on(deps, date(2026, 12, 17))
    http = app.test_client()
    path = deps.links.appointment_url(session, "/reschedule").removeprefix(BASE_URL)
    listing = http.get(path).get_data(as_text=True)
    assert "December 25" not in listing
    token = re.search(r'name="csrf_token" value="([^"]+)"', listing).group(1)
    christmas = open_times.slot_value(local_wall_to_utc(CHRISTMAS, time(10), maya.timezone))
    answer = http.post(path, data={"csrf_token": token, "version": session.version, "start": christmas})
    assert answer.status_code == 409
    assert "no longer open" in text(answer)
    assert deps.store.get_appointment(session.id).start == session.start
    assert deps.store.get_appointment(session.id).version == session.version

