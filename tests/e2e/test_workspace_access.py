"""Who sees what in the workspace, CSRF on every POST, and the security headers and cookie."""
from datetime import timedelta

import pytest

from portal.domain.model import Barrier, InboxItem
from portal.links import Links
from tests.conftest import BASE_URL, T0, TEST_SECRET
from tests.workspace_support import MAYA, SAM, Web, app_on, seeded

# Maya's objects, as Sam (a therapist, not the admin) would try them.
MAYA_IDS = {"client_id": "calex01", "appointment_id": "demomche00", "item_id": "mayainbox1",
            "therapist_id": "mchen1",
            # Maya's feed as Sam could make it: his own feed key signed under her id.
            "feed_token": Links(TEST_SECRET, BASE_URL).feed_token("mchen1", "samsfeedkey")}
# Routes about no object of anyone's, and why they are safe to leave out of the walk.
NOT_ABOUT_OBJECTS = {
    "/t/login": "the sign-in page",
    "/t/logout": "ends one's own session",
    "/t/password": "changes one's own password",
    "/t/stats": "practice totals, and per therapist only oneself unless admin (see test_stats)",
    "/t/stats.csv": "the same figures as /t/stats",
    "/t/calendar-feed": "shows and rotates one's own calendar feed address",
    "/t/login/code": "the second sign-in step, for the person who just gave their password",
    "/t/login/enrol": "the enrolment the practice requires, for that same person",
    "/t/two-step": "turns on one's own two-step sign-in",
    "/t/two-step/off": "turns off one's own, with one's own password and code",
}


@pytest.fixture
def practice(deps):
    seeded(deps)
    deps.store.add_inbox(InboxItem("mchen1", T0 - timedelta(hours=2), "barrier", "calex01", "demomche00",
                                   Barrier.COST, "Money is tight", id=MAYA_IDS["item_id"]))
    deps.store.set_feed_key("mchen1", "mayasfeedkey")
    deps.store.set_feed_key("sokaf1", "samsfeedkey")
    return deps


def _snapshot(store):
    return (store.get_client("calex01"), store.get_appointment("demomche00"),
            store.audit_trail("demomche00"), store.get_availability("mchen1"), store.inbox("mchen1"),
            store.get_settings(), store.list_therapists(), store.list_clients("mchen1"))


def _walk_targets(app):
    """Every /t route and method, with Maya's ids filled in (or ?therapist=mchen1)."""
    targets = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/t") or rule.rule in NOT_ABOUT_OBJECTS:
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<{name}>", MAYA_IDS[name])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            # A page about no one object is asked about Maya's (the POSTs name her in the form).
            asked = url if rule.arguments or method == "POST" else f"{url}?therapist=mchen1"
            targets.append((method, asked, rule.rule))
    return targets


def test_every_workspace_route_answers_404_for_another_therapists_objects(practice):
    app = app_on(practice)
    web = Web(app)
    web.login(SAM)
    before = _snapshot(practice.store)
    targets = _walk_targets(app)
    walked = {rule for _, _, rule in targets}
    every = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/t")}
    assert walked | set(NOT_ABOUT_OBJECTS) == every  # a new route must join the walk or say why not
    assert len(targets) >= 20
    form = {"therapist": "mchen1", "version": "1", "start": "2026-03-03T22:00:00Z", "mode": "tele",
            "status": "attended", "first_name": "Hacked", "timezone": "UTC", "channels": "email",
            "email": "x@example.com", "name": "Mallory", "role": "admin", "display_name": "Hacked",
            "session_minutes": "50", "buffer_minutes": "10", "min_notice_hours": "1",
            "booking_horizon_days": "3", "what": "reached"}
    answers = {}
    for method, url, _ in targets:
        answer = web.get(url) if method == "GET" else web.post(url, form)
        answers[(method, url)] = answer.status_code
    assert {k: v for k, v in answers.items() if v != 404} == {}
    assert _snapshot(practice.store) == before  # and nothing of Maya's changed


def test_a_therapist_sees_their_own_and_the_admin_sees_everyone(practice):
    app = app_on(practice)
    sam = Web(app)
    sam.login(SAM)
    assert sam.get("/t/clients/cdeva06").status_code == 200
    assert sam.get("/t/appointments/demosoka00").status_code == 200
    assert b"Devon" in sam.get("/t/clients").data and b"Alex" not in sam.get("/t/clients").data
    maya = Web(app)
    maya.login(MAYA)
    assert maya.get("/t/clients/cdeva06").status_code == 200  # the practice admin
    assert b"Devon" in maya.get("/t/clients?therapist=sokaf1").data
    assert b"Sam Okafor" in maya.get("/t/?therapist=all").data
    assert maya.get("/t/settings").status_code == 200 and sam.get("/t/settings").status_code == 404


def test_only_the_admin_can_require_two_step_sign_in(practice):
    app = app_on(practice)
    sam = Web(app)
    sam.login(SAM)
    version = str(practice.store.get_settings().version)
    assert sam.post("/t/settings/two-step", {"required": "y", "version": version}).status_code == 404
    assert "Two-step sign-in" not in sam.get("/t/settings").get_data(as_text=True)  # a 404 page
    assert not practice.store.get_settings().two_step_required
    maya = Web(app)
    maya.login(MAYA)
    assert maya.post("/t/settings/two-step", {"required": "y", "version": version}).status_code == 302
    assert practice.store.get_settings().two_step_required


def test_signed_out_visitors_are_sent_to_sign_in_and_see_nothing(practice):
    web = Web(app_on(practice))
    for url in ("/t/", "/t/clients/calex01", "/t/appointments/demomche00", "/t/stats.csv"):
        answer = web.get(url)
        assert answer.status_code == 302 and answer.location.startswith("/t/login?next=")
    answer = web.post("/t/appointments/demomche00/cancel", {"version": "1"})
    assert answer.status_code == 302 and practice.store.get_appointment("demomche00").status.value == "scheduled"


def test_every_post_without_a_csrf_token_is_refused(practice):
    app = app_on(practice)
    web = Web(app)
    web.login(MAYA)  # the admin, so admin-only routes are reached too
    before = _snapshot(practice.store)
    posts = [(r.rule, r) for r in app.url_map.iter_rules() if r.rule.startswith("/t") and "POST" in r.methods]
    assert len(posts) >= 12
    for rule, _ in posts:
        url = rule
        for name, value in dict(MAYA_IDS, therapist_id="sokaf1").items():
            url = url.replace(f"<{name}>", value)
        answer = web.post(url, {"version": "1", "status": "attended", "email": MAYA,
                                "password": "demo-password-123"}, csrf=False)
        assert answer.status_code == 400, rule
        assert b"This page was open for a while" in answer.data
    assert _snapshot(practice.store) == before


def test_therapist_pages_carry_the_security_headers(practice):
    web = Web(app_on(practice))
    pages = [web.get("/t/login")]
    web.login(MAYA)
    pages += [web.get(url) for url in ("/t/", "/t/availability", "/t/stats", "/t/stats.csv",
                                       "/t/appointments/demomche00", "/t/nothing-here")]
    for page in pages:
        csp = page.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert "script-src 'self'" in csp
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["Referrer-Policy"] == "no-referrer"
    assert pages[-1].status_code == 404


def test_outside_dev_the_cookie_is_secure_httponly_lax_and_expires_with_hsts(practice):
    web = Web(app_on(practice, PORTAL_ENV="production"))
    answer = web.login(MAYA)
    cookie = answer.headers["Set-Cookie"]
    for part in ("Secure", "HttpOnly", "SameSite=Lax", "Expires="):
        assert part in cookie
    assert "Strict-Transport-Security" in answer.headers


def test_the_admins_team_pages_answer_404_for_a_session_of_another_therapist(practice):
    """Sam's sessions page may change only Sam's sessions: Maya's session named under his id
    is not there, even for the admin."""
    web = Web(app_on(practice))
    web.login(MAYA)
    before = _snapshot(practice.store)
    for action in ("reassign", "cancel"):
        answer = web.post(f"/t/therapists/sokaf1/sessions/{MAYA_IDS['appointment_id']}/{action}",
                          {"version": "1", "to": "sokaf1"})
        assert answer.status_code == 404
    for path in ("/t/therapists/nobody1/sessions", "/t/therapists/nobody1/deactivate"):
        assert web.get(path).status_code == 404
    assert web.post("/t/therapists/nobody1/reactivate").status_code == 404
    assert _snapshot(practice.store) == before
