"""Issue 18 item 9: the dev clock answers a wrong-typed JSON body with 400 and a message, not 500."""
import pytest

from devstack import create_dev_app
from portal.config import load
from portal.wiring import Container


@pytest.fixture
def web(store, clock):
    config = load({"PORTAL_ENV": "dev"})
    return create_dev_app(config, container=Container(config, store=store, clock=clock)).test_client(), clock


@pytest.mark.parametrize("body", [{"now": 123}, {"advance": 5}, {"now": ["2030-01-01"]},
                                  {"advance": {"hours": 2}}, {"now": True}])
def test_a_wrong_typed_body_gets_400_with_a_message(web, body):
    client, clock = web
    before = clock.now()
    answer = client.post("/dev/clock", json=body)
    assert answer.status_code == 400
    assert 'Send {"now": "2026-12-01T09:00:00Z"} or {"advance": "PT2H"}.' in answer.get_json()["error"]
    assert clock.now() == before


def test_text_still_moves_the_clock(web):
    client, clock = web
    before = clock.now()
    answer = client.post("/dev/clock", json={"advance": "PT2H"})
    assert answer.status_code == 200 and (clock.now() - before).total_seconds() == 7200


@pytest.mark.parametrize("body", [[1, 2], "PT2H", 7])
def test_a_body_that_is_not_an_object_gets_400(web, body):
    client, clock = web
    before = clock.now()
    assert client.post("/dev/clock", json=body).status_code == 400 and clock.now() == before
