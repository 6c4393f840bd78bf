"""The dashboard leads with "Reach out today"; its one-tap log lands on the session's history."""
from datetime import timedelta

from devstack.seed import seed_demo
from portal.domain.audit import Actor
from portal.domain.wording import short_when
from portal.services.sessions.booking import reschedule, reschedule_options
from tests.conftest import T0
from tests.workspace_support import DEMO_PASSWORD, MAYA, SAM, Web, app_on, text


def _practice(deps):
    seed_demo(deps, DEMO_PASSWORD)  # with history and Priya's hard week
    return deps


def test_reach_out_comes_first_with_reasons_links_and_a_one_tap_log(deps):
    _practice(deps)
    web = Web(app_on(deps))
    web.login(MAYA)
    page = web.get("/t/")
    words = text(page)
    html = page.get_data(as_text=True)
    assert words.index("Reach out today") < words.index("New from clients") < words.index("Today,") \
        < words.index("The rest of the week")
    first = words[words.index("Reach out today"):words.index("New from clients")]
    assert first.split()[3:5] == ["Priya", "Natarajan"]  # the first row, after the heading
    assert first.split()[11:14] == ["High", "risk", "Rated"]  # its level badge leads its reasons
    assert "Rated their week 1 of 5" in first  # the lowest answer weighs most
    assert "Said this is in the way: feeling anxious" in first and "1 more reason" in first
    assert first.index("1 more reason") < first.index("Missed a session on")  # one tap away
    assert 'href="sms:+12025550145"' in html and 'href="tel:+12025550145"' in html
    assert "(202) 555-0145" in first  # formatted for a US practice, shown once beside Text and Call
    assert "At risk" not in words  # a small level badge per row instead
    assert "New York time (EST)" in words

    priya = next(a for a in deps.store.client_appointments("cpriy03", T0, T0 + timedelta(days=8)))
    answer = web.post(f"/t/appointments/{priya.id}/outreach", {"what": "reached"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/t/#reach-h")
    [logged] = [e for e in deps.store.audit_trail(priya.id) if e.action == "outreach"]
    assert logged.detail == {"what": "reached"} and logged.actor == "therapist:mchen1"
    assert "Reached them by you" in text(web.get(f"/t/appointments/{priya.id}"))
    assert web.post(f"/t/appointments/{priya.id}/outreach", {"what": "nonsense"}).status_code == 302
    assert len([e for e in deps.store.audit_trail(priya.id) if e.action == "outreach"]) == 1


def test_the_outreach_log_is_not_for_a_colleagues_session(deps):
    _practice(deps)
    web = Web(app_on(deps))
    web.login(SAM)
    assert web.post("/t/appointments/demomche00/outreach", {"what": "reached"}).status_code == 404
    assert not [e for e in deps.store.audit_trail("demomche00") if e.action == "outreach"]


def test_history_says_from_what_to_what(deps):
    _practice(deps)
    ctx = deps.store.load_context("demomche02", "cpriy03", "mchen1")
    target = reschedule_options(deps, ctx)[0].start
    reschedule(deps, ctx, target, ctx.appointment.version, actor=Actor.client("link"))
    web = Web(app_on(deps))
    web.login(MAYA)
    words = text(web.get("/t/appointments/demomche02"))
    moved = (f"Moved from {short_when(ctx.appointment.start, 'America/New_York')} to "
             f"{short_when(target, 'America/New_York')} by the client (reminder link)")
    assert moved in words
    assert "Booked for" in words and "by the demo data" in words
