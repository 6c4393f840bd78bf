"""Shared fixtures: the clock, the in-memory store and fakes, the app wired to them through
the front door (``Container(config, clock=..., store=..., ...)``), and moto in server mode."""
import os
from datetime import datetime, timezone

import pytest

# Tests never reach real AWS: fake credentials, set before anything makes a client.
for _name, _value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                      "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
    os.environ[_name] = _value
os.environ.pop("AWS_PROFILE", None)


def _share_botocore_models():
    """Each Container makes its boto3 clients from a new Session (once per Lambda start), and
    each new Session re-reads botocore's JSON models: half a second or more per client, and the
    suite makes a thousand. Here every loader with the same search paths shares one cache; the
    models are data botocore only reads, as it already shares them between one session's clients."""
    from botocore import loaders

    shared: dict = {}
    made = loaders.Loader.__init__

    def __init__(self, *args, **kwargs):
        made(self, *args, **kwargs)
        self._cache = shared.setdefault(tuple(self.search_paths), {})

    loaders.Loader.__init__ = __init__


_share_botocore_models()

import portal.config  # noqa: E402
from portal import create_app  # noqa: E402
from portal.adapters.aws.senders import FakeNotifier  # noqa: E402
from portal.adapters.store import Store  # noqa: E402
from portal.adapters.tables.memory import MemoryTable  # noqa: E402
from portal.clock import FixedClock  # noqa: E402
from portal.config import load  # noqa: E402
from portal.links import Links  # noqa: E402
from portal.wiring import Container, set_default_container  # noqa: E402

# A cheap scrypt cost for the suite: every hash in milliseconds instead of a tenth of a second
# or more (tests/unit/test_auth.py checks that production keeps the full cost).
portal.config.SCRYPT_N = 2 ** 10

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
BASE_URL = "https://portal.test"
# A Monday afternoon in New York, well away from either DST change.
T0 = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock():
    return FixedClock(T0)


@pytest.fixture
def store(clock):
    return Store(MemoryTable(), clock=clock)  # expiry is read on the test's clock


@pytest.fixture
def notifier():
    return FakeNotifier()


@pytest.fixture
def links():
    return Links(TEST_SECRET, BASE_URL, 7)


def settings(**env):
    """Test settings; ``env`` adds or replaces variables (PORTAL_ENV="production", ...)."""
    return load({"PORTAL_ENV": "test", "SECRET_KEY": TEST_SECRET, "BASE_URL": BASE_URL, **env})


@pytest.fixture
def config():
    return settings()


@pytest.fixture
def container(config, clock, store, notifier, links):
    """The composition root, handed this test's fakes: nothing reaches AWS."""
    return Container(config, clock=clock, store=store, notifier=notifier, links=links)


@pytest.fixture
def deps(container):
    return container.deps


@pytest.fixture
def app(config, container):
    return create_app(config, container=container)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def handlers(container):
    """The Lambda handlers (functions/) run on this test's container, as on the local stack."""
    set_default_container(container)
    yield container
    set_default_container(None)


# --- moto in server mode -----------------------------------------------------------------
@pytest.fixture(scope="session")
def moto_endpoint():
    from devstack.localstack import start_emulator

    server, endpoint = start_emulator()
    yield endpoint
    server.stop()


@pytest.fixture(scope="session")
def deployed_template(moto_endpoint):
    """infra/template.yaml deployed once for the session; each test's table is made from it."""
    from tests.stack import template_stack

    return template_stack(moto_endpoint)


@pytest.fixture
def aws(moto_endpoint, deployed_template, clock):
    """A wired container on moto: real DynamoDB store (a fresh table), SES/SNS senders, fixed clock."""
    from tests.stack import deployed_container

    return deployed_container(moto_endpoint, clock=clock)
