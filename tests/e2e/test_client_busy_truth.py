"""Issue 18 item 9: a timeout (ServiceBusy) after a client's change was written answers with what
is true, read again consistently: the change is in, so the client sees it done, not a 503."""
import pytest

from portal.domain.errors import ServiceBusy
from portal.domain.model import Status
from portal.services.client import changes as actions
from tests.e2e.test_client_journeys import Web, text_of


@pytest.fixture
def web(app, deps):
    return Web(app, deps)


def test_a_confirm_written_before_a_timeout_shows_confirmed(web, monkeypatch):
    a = web.book()
    real = actions.booking.confirm

    def written_then_timed_out(*args, **kwargs):
        real(*args, **kwargs)
        raise ServiceBusy()

    monkeypatch.setattr(actions.booking, "confirm", written_then_timed_out)
    answer = web.post(a, "/confirm", {"version": a.version})
    assert answer.status_code in (302, 303)
    assert web.stored(a).status is Status.CONFIRMED
    assert "Thank you, you're confirmed." in text_of(web.http.get(answer.headers["Location"]))


def test_a_confirm_that_did_not_land_still_says_try_again(web, monkeypatch):
    a = web.book()

    def timed_out(*args, **kwargs):
        raise ServiceBusy()

    monkeypatch.setattr(actions.booking, "confirm", timed_out)
    answer = web.post(a, "/confirm", {"version": a.version})
    assert answer.status_code == 503 and "nothing was lost" in answer.get_data(as_text=True).lower()
    assert web.stored(a).status is Status.SCHEDULED
