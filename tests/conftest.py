"""Shared fixtures: the clock, the in-memory store and fakes, and moto in server mode."""
import os
from datetime import datetime, timezone

import pytest

# Tests never reach real AWS: fake credentials, set before anything makes a client.
for _name, _value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                      "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
    os.environ[_name] = _value
os.environ.pop("AWS_PROFILE", None)

from portal.adapters.senders import FakeNotifier  # noqa: E402
from portal.adapters.store import Store  # noqa: E402
from portal.adapters.table import MemoryTable  # noqa: E402
from portal.clock import FixedClock  # noqa: E402
from portal.interfaces import Deps  # noqa: E402
from portal.links import Links  # noqa: E402

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
BASE_URL = "https://portal.test"
# A Monday afternoon in New York, well away from either DST change.
T0 = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock():
    return FixedClock(T0)


@pytest.fixture
def store():
    return Store(MemoryTable())


@pytest.fixture
def notifier():
    return FakeNotifier()


@pytest.fixture
def links():
    return Links(TEST_SECRET, BASE_URL, 7)


@pytest.fixture
def deps(store, notifier, clock, links):
    return Deps(store=store, notifier=notifier, clock=clock, links=links)


# --- moto in server mode -----------------------------------------------------------------
@pytest.fixture(scope="session")
def moto_endpoint():
    from devstack.localstack import start_emulator

    server, endpoint = start_emulator()
    yield endpoint
    server.stop()


@pytest.fixture
def aws(moto_endpoint, clock):
    """A wired container on moto: real DynamoDB store, SES/SNS senders, fixed clock."""
    from tests.stack import deployed_container

    return deployed_container(moto_endpoint, clock=clock)
