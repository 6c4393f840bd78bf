"""The app factory: health check, production start-up rules, no dev panel in production."""
import os
import subprocess
import sys

import pytest

from devstack import create_dev_app
from portal import create_app
from portal.config import ConfigError, load
from portal.paths import ROOT
from portal.wiring import Container
from tests.conftest import TEST_SECRET

PROD = {"SECRET_KEY": TEST_SECRET}


def test_healthz_answers_ok_without_aws():
    app = create_app(load(dict(PROD, AWS_ENDPOINT_URL="http://127.0.0.1:9")))
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 200 and answer.get_json() == {"status": "ok"}
    assert app.extensions["attune"]._clients == {}  # no AWS client was even built


def test_production_registers_no_dev_routes():
    app = create_app(load(PROD))
    assert not [r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/dev")]
    assert app.test_client().get("/dev/").status_code == 404
    dev_settings = create_app(load({"PORTAL_ENV": "dev"}))  # the setting alone adds no panel
    assert not [r.rule for r in dev_settings.url_map.iter_rules() if r.rule.startswith("/dev")]
    dev = create_dev_app(load({"PORTAL_ENV": "dev"}))
    assert any(r.rule.startswith("/dev") for r in dev.url_map.iter_rules())


def test_the_container_uses_the_collaborators_it_is_given(config, clock, store, notifier, links):
    container = Container(config, clock=clock, store=store, notifier=notifier, links=links)
    deps = container.deps
    assert deps.store is store and deps.notifier is notifier and deps.clock is clock and deps.links is links
    assert container._clients == {}  # nothing was built from the settings


def test_in_dev_mode_each_message_sent_is_logged_for_the_outbox(store):
    from devstack.outbox import SentLog

    app = create_dev_app(load({"PORTAL_ENV": "dev"}))
    notifier = app.extensions["attune"].notifier
    assert isinstance(notifier, SentLog)
    given = Container(load({"PORTAL_ENV": "dev"}), store=store)
    assert not isinstance(given.notifier, SentLog)  # a plain Container never wraps (production)


@pytest.mark.parametrize("env, message", [
    ({}, "SECRET_KEY is not set"),
    ({"SECRET_KEY": "changeme"}, "SECRET_KEY is too weak"),
    ({"SECRET_KEY": "short-but-random-9f8a"}, "SECRET_KEY is too weak"),
    ({"SECRET_KEY": TEST_SECRET, "PORTAL_ENV": "staging"}, "PORTAL_ENV must be"),
    ({"SECRET_KEY": TEST_SECRET, "LINK_TTL_DAYS": "soon"}, "LINK_TTL_DAYS must be a whole number"),
    ({"SECRET_KEY": TEST_SECRET, "BASE_URL": "portal.example.org"}, "BASE_URL must be a full"),
    ({"SECRET_KEY": TEST_SECRET, "AWS_ENDPOINT_URL": "localhost:4566"}, "AWS_ENDPOINT_URL must be"),
])
def test_bad_settings_stop_start_up_naming_the_variable(env, message):
    with pytest.raises(ConfigError, match=message):
        load(env)


def _import_wsgi(extra_env, make_app="import portal.wsgi as w; app = w.app"):
    env = {k: v for k, v in os.environ.items() if k not in ("PORTAL_ENV", "SECRET_KEY")}
    env.update(extra_env)
    # An unroutable endpoint: any AWS call at import would hang or fail loudly.
    env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
    code = (f"import sys; {make_app}; "
            "print(sorted(r.rule for r in app.url_map.iter_rules() if r.rule.startswith('/dev'))); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'devstack'))")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def test_wsgi_imports_in_production_without_aws_and_without_dev_code():
    done = _import_wsgi({"SECRET_KEY": TEST_SECRET})
    assert done.returncode == 0, done.stderr
    dev_routes, dev_modules = done.stdout.splitlines()
    assert dev_routes == "[]"
    assert dev_modules == "[]"  # devstack was never imported


def test_wsgi_never_imports_devstack_even_in_dev_mode():
    done = _import_wsgi({"PORTAL_ENV": "dev"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "[]"]  # no dev routes, no devstack module


def test_the_dev_app_wraps_create_app_with_its_panel():
    done = _import_wsgi({"PORTAL_ENV": "dev"}, make_app="import devstack; app = devstack.create_dev_app()")
    assert done.returncode == 0, done.stderr
    dev_routes, dev_modules = done.stdout.splitlines()
    assert "/dev/" in dev_routes and "'devstack.panel'" in dev_modules


def test_wsgi_refuses_to_start_without_a_secret_key():
    done = _import_wsgi({})
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


def test_unknown_page_is_a_friendly_404_with_security_headers():
    app = create_app(load(PROD))
    answer = app.test_client().get("/nowhere")
    assert answer.status_code == 404
    assert b"We couldn&#39;t find that page" in answer.data
    csp = answer.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" in answer.headers
