"""The app factory registers each feature by name, once, whatever number of apps a process builds."""
from portal import create_app
from portal.config import load
from tests.conftest import TEST_SECRET

CONFIG = {"PORTAL_ENV": "test", "SECRET_KEY": TEST_SECRET}


def test_each_feature_blueprint_is_registered_by_name():
    app = create_app(load(CONFIG))
    assert {"health", "client", "checkin", "workspace"} <= set(app.blueprints)
    rules = {r.rule for r in app.url_map.iter_rules()}
    assert {"/a/<token>", "/a/<token>/confirm", "/c/<token>", "/c/<token>/thanks",
            "/t/login", "/t/appointments/<appointment_id>/reschedule"} <= rules


def test_the_import_commands_are_registered():
    app = create_app(load(CONFIG))
    assert {"import-clients", "import-appointments"} <= set(app.cli.commands)


def test_a_second_app_gets_the_sign_in_check_and_filters_once():
    first, second = create_app(load(CONFIG)), create_app(load(CONFIG))
    for app in (first, second):
        assert len(app.before_request_funcs["workspace"]) == 1
        assert "ws_modes" in app.jinja_env.filters and "when" in app.jinja_env.filters
    answer = second.test_client().get("/t/clients")  # the check runs on every app it is registered on
    assert answer.status_code == 302 and "/t/login" in answer.location
