"""Issue 18 item 9: deactivating a therapist ends their calendar feed, for a calendar app with no
cookie as much as for anyone; after reactivation only a newly made address works."""
from portal.services.sessions import calendar_feed
from tests.workspace_support import MAYA, SAM, Web, app_on, seeded

SAM_ID = "sokaf1"


def test_deactivation_ends_the_feed(deps):
    practice = seeded(deps)
    app = app_on(practice)
    sam = Web(app)
    sam.login(SAM)
    sam.get("/t/calendar-feed")
    assert sam.post("/t/calendar-feed").status_code == 302
    path = calendar_feed.feed_url(practice, practice.store.get_therapist(SAM_ID)).removeprefix("https://portal.test")
    calendar_app = app.test_client()  # no cookie
    before = calendar_app.get(path)
    assert before.status_code == 200 and "BEGIN:VEVENT" in before.get_data(as_text=True)
    admin = Web(app)
    assert admin.login(MAYA).status_code == 302
    admin.get(f"/t/therapists/{SAM_ID}/deactivate")
    assert admin.post(f"/t/therapists/{SAM_ID}/deactivate").status_code in (302, 303)
    after = calendar_app.get(path)
    assert after.status_code == 404 and "BEGIN:VCALENDAR" not in after.get_data(as_text=True)
    admin.get(f"/t/therapists/{SAM_ID}")
    admin.post(f"/t/therapists/{SAM_ID}/reactivate")
    assert practice.store.get_therapist(SAM_ID).active
    assert calendar_app.get(path).status_code == 404  # the old address stays dead
