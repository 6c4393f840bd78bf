"""Confirmation states say what happened (issue 18 item 7): "Keep it, by video" is the
client's word that they will come, and an undo puts back the confirmation with the time."""
import re

import pytest

from portal.domain.model import Mode, Status
from portal.services.sessions import open_times
from tests.e2e.test_client_journeys import THU_10, Web, text_of
from tests.e2e.test_client_promises import TUE_17


@pytest.fixture
def web(app, deps):
    return Web(app, deps)


def _keep_by_video_form(page_html: str) -> dict:
    form = re.search(r'<form method="post" action="[^"]+/mode">(.*?)</form>', page_html, re.S).group(1)
    assert "Keep it" in form
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))


@pytest.mark.parametrize("barrier", ["transport", "illness"])
def test_keep_it_by_video_switches_and_confirms(web, barrier):
    a = web.book()
    help_page = web.post(a, "/cancel/help", {"barrier": barrier, "note": ""})
    fields = _keep_by_video_form(help_page.get_data(as_text=True))
    assert fields["mode"] == "tele" and fields["keep"] == "yes"
    done = web.post(a, "/mode", {"version": a.version, "mode": "tele", "keep": "yes"})
    stored = web.stored(a)
    assert done.status_code == 302 and stored.mode is Mode.TELE
    assert stored.status is Status.CONFIRMED and stored.confirmed_via == "link"
    page = text_of(web.http.get(done.headers["Location"]))
    assert "Not confirmed yet" not in page


def test_a_plain_switch_to_video_leaves_the_confirmation_as_it_was(web):
    a = web.book()
    web.post(a, "/mode", {"version": a.version, "mode": "tele"})
    assert web.stored(a).status is Status.SCHEDULED


@pytest.mark.parametrize("before", [Status.SCHEDULED, Status.CONFIRMED])
def test_undoing_a_move_restores_the_confirmation_it_had(web, before):
    a = web.book(status=before)
    web.post(a, "/reschedule", {"version": a.version, "start": open_times.slot_value(TUE_17)})
    moved = web.stored(a)
    assert moved.status is Status.CONFIRMED  # the client chose the new time themselves
    back = web.post(moved, "/undo", {"version": moved.version})
    stored = web.stored(a)
    assert back.status_code == 302 and stored.start == THU_10
    assert stored.status is before
