"""Issue 18 item 1 through the Flask test client: the crisis lines are in the page before the
form wherever the client arrives having chosen the lowest check-in score or illness, they wait
right under those choices for a pick on the page, and every client page ends with the quiet line."""
import re
from pathlib import Path

import pytest

from portal.services.messaging import checkins
from tests.e2e import test_checkin_page as checkin
from tests.e2e.test_client_journeys import Web
from tests.e2e.test_client_promises import crisis_first

QUIET_LINE = re.compile(r'<footer class="crisis-line"><p>In crisis\? <a href="tel:988"[^>]*>Call</a> or '
                        r'<a href="sms:988"[^>]*>text</a> 988\. <span class="phone">Emergency: '
                        r'<a href="tel:911"[^>]*>911</a>\.</span></p></footer>')
TEMPLATES = Path(__file__).parents[2] / "templates"


def block_before_form(page: str) -> bool:
    main = page.split("<main", 1)[1]
    return crisis_first(page) and main.index('id="crisis-h"') < main.index("<form")


def revealed_after(page: str, label: str) -> bool:
    """A hidden crisis block follows the label of this choice directly, for CSS to show."""
    return re.search(re.escape(label) + r'</span></label>\s*<div class="crisis-reveal[^"]*">\s*'
                     r'<section class="card crisis"', page) is not None or \
        re.search(re.escape(label) + r'</label>\s*<div class="crisis-reveal', page) is not None


@pytest.fixture
def web(client, deps):
    return checkin.Web(client, deps)


@pytest.mark.parametrize("score", [str(n) for n, _ in checkins.SCORES] + ["", "9"])
def test_arriving_from_the_email_with_the_lowest_score_has_crisis_help_before_the_form(web, score):
    page = web.http.get(f"{web.path}?score={score}").get_data(as_text=True)
    assert block_before_form(page) is (score == "1")
    assert page.count('id="crisis-h"') == (1 if score == "1" else 0)
    if score != "1":  # the lowest score's choice and illness each carry the block, hidden till picked
        assert revealed_after(page, "1 &middot; Struggling")
        assert revealed_after(page, "Not feeling well, or an emergency")
        assert page.count('class="crisis-reveal') == 2
    assert QUIET_LINE.search(page)


def test_a_check_in_sent_back_with_a_problem_keeps_crisis_help_first(web):
    page = web.answer(score="1", note="x" * (checkins.NOTE_MAX + 1))
    assert page.status_code == 400 and block_before_form(page.get_data(as_text=True))
    page = web.answer(score="4", barrier="illness", note="x" * (checkins.NOTE_MAX + 1))
    assert page.status_code == 400 and block_before_form(page.get_data(as_text=True))


def test_the_cancel_page_carries_crisis_help_under_illness_and_first_once_chosen(app, deps):
    web = Web(app, deps)
    a = web.book()
    page = web.get(a, "/cancel").get_data(as_text=True)
    assert 'id="crisis-h"' not in page and revealed_after(page, "Not feeling well, or an emergency")
    assert page.count('class="crisis-reveal') == 1 and QUIET_LINE.search(page)
    sent_back = web.post(a, "/cancel/help", {"barrier": "illness", "note": "x" * 501})
    assert sent_back.status_code == 400 and block_before_form(sent_back.get_data(as_text=True))
    other = web.post(a, "/cancel/help", {"barrier": "cost", "note": "x" * 501}).get_data(as_text=True)
    assert 'id="crisis-h"' not in other


def test_client_pages_end_with_the_quiet_line_and_the_workspace_does_not(app, deps, client):
    web = Web(app, deps)
    a = web.book()
    for response in (web.get(a), web.get(a, "/cancel"), client.get("/a/not-a-real-token"),
                     client.get("/no-such-page"), client.get("/t/login")):
        page = response.get_data(as_text=True)
        workspace = "Attune workspace" in page
        assert bool(QUIET_LINE.search(page)) is not workspace, response.request.path
        if not workspace:
            assert page.index("</main>") < QUIET_LINE.search(page).start()  # the page's last line


@pytest.mark.parametrize("folder", ["client", "checkin", "offers", "."])
def test_every_client_page_uses_the_layout_that_carries_the_line(folder):
    pages = [p for p in (TEMPLATES / folder).glob("*.html") if not p.name.startswith("_")]
    if folder == ".":
        pages = [TEMPLATES / name for name in ("link_problem.html", "error.html", "index.html")]
    assert pages
    for path in pages:
        assert path.read_text().startswith('{% extends "base.html" %}'), path
        assert "block footer" not in path.read_text(), path  # none drops the line
