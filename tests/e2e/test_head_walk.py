"""HEAD is GET, everywhere: no HEAD (or GET) to any route writes anything, signed in or not;
and signing out ends the session on the server, so a copied cookie stops working."""
import pytest

from tests.e2e.app_walk import Practice
from tests.workspace_support import DEMO_PASSWORD, MAYA, Web, text


@pytest.fixture(scope="module")
def practice():
    return Practice()


@pytest.mark.parametrize("who", [None, "sam", "maya"])
def test_head_and_get_to_every_route_leave_the_table_as_it_was(practice, who):
    web = practice.browser(who)
    before = practice.snapshot()
    walked, shown = 0, {rule for rule, _, methods in practice.rules() if "GET" in methods}
    for rule, endpoint, methods in practice.rules():
        path = practice.path(rule, endpoint)
        head = web.client.head(path, environ_base=web.environ)
        if "GET" in methods:
            get = web.client.get(path, environ_base=web.environ)
            assert head.status_code == get.status_code, (path, head.status_code, get.status_code)
            assert head.get_data() == b""
        elif rule not in shown:  # a POST-only address: HEAD is not allowed at all
            assert head.status_code == 405, path
        assert head.status_code < 500, path
        walked += 1
    assert walked == len(practice.rules()) > 40  # the workspace's routes are in the walk
    assert practice.snapshot() == before


def test_head_with_form_data_never_saves_a_client(practice):
    web = practice.browser("maya")
    path = practice.path("/t/clients/<client_id>/edit", "workspace.edit_client")
    before = practice.snapshot()
    answer = web.client.head(path, data={"first_name": "Changed", "last_name": "", "email": "x@example.org",
                                         "timezone": "America/New_York", "channels": "email",
                                         "csrf_token": web.token}, environ_base=web.environ)
    assert answer.status_code == 200
    assert practice.snapshot() == before
    assert practice.store.get_client(practice.values["client_id"]).first_name != "Changed"


def test_heads_at_sign_in_count_no_failures(practice):
    """Before: 21 HEADs from one office address locked every therapist there out."""
    web = practice.browser(None)
    before = practice.snapshot()
    for _ in range(30):
        assert web.client.head("/t/login", environ_base=web.environ).status_code == 200
    assert practice.snapshot() == before  # no throttle counter was touched
    assert web.login(MAYA, DEMO_PASSWORD).status_code == 302


def test_a_copied_cookie_stops_working_at_once_after_sign_out(deps):
    from tests.workspace_support import app_on, seeded

    app = app_on(seeded(deps))
    laptop = Web(app)
    laptop.login(MAYA)
    assert laptop.get("/t/").status_code == 200
    copy = app.test_client()
    copy.set_cookie("session", laptop.client.get_cookie("session").value, domain="localhost")
    assert copy.get("/t/").status_code == 200  # the same cookie, on another machine
    laptop.get("/t/")
    assert laptop.post("/t/logout").location == "/t/login"
    refused = copy.get("/t/clients")
    assert refused.status_code == 302 and refused.location.startswith("/t/login")
    again = Web(app)  # signing in afresh works, with a new stamp
    again.login(MAYA)
    assert "Your week" in text(again.get("/t/"))


def test_a_password_change_still_ends_other_sessions(deps):
    from tests.workspace_support import app_on, seeded

    app = app_on(seeded(deps))
    here, elsewhere = Web(app), Web(app, remote_addr="198.51.100.8")
    here.login(MAYA)
    elsewhere.login(MAYA)
    here.get("/t/password")
    changed = here.post("/t/password", {"current": DEMO_PASSWORD, "new": "a-brand-new-pass-42",
                                        "repeat": "a-brand-new-pass-42"})
    assert changed.status_code == 302
    assert here.get("/t/").status_code == 200
    assert elsewhere.get("/t/").status_code == 302
