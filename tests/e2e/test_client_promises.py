"""Issue 9, through the Flask test client: crisis help never hidden, no silent change of mode,
moves that can be undone, and calendar links."""
import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.domain.model import Barrier, Mode
from portal.services.sessions import open_times
from tests.conftest import T0
from tests.e2e import test_checkin_page as checkin
from tests.e2e.test_client_journeys import THU_10, Web, text_of

SAT_10 = T0 + timedelta(days=5, hours=1)  # Saturday 10:00 in New York: by video only
TUE_17 = T0 + timedelta(days=1, hours=8)  # Tuesday 5:00 PM: in person or video, 32 h ahead
MON_11 = T0 + timedelta(hours=2)  # Monday 11:00 AM: two hours ahead


@pytest.fixture
def web(app, deps):
    return Web(app, deps)


def crisis_first(page: str) -> bool:
    """The crisis block is there, before the page's heading, with tap-to-call and tap-to-text."""
    main = page.split('<main', 1)[1]
    links = ('href="tel:988"', 'href="sms:988"', 'href="tel:911"', 'href="tel:+12025550100"')
    return 'id="crisis-h"' in main and main.index('id="crisis-h"') < main.index("<h1") \
        and all(link in main for link in links)


# --- 1. crisis help is never hidden --------------------------------------------------------------
@pytest.mark.parametrize("barrier", [""] + [b.value for b in Barrier])
@pytest.mark.parametrize("score", ["1", "2", "3", "4", "5"])
def test_a_check_in_shows_crisis_help_first_at_the_lowest_score_or_illness(client, deps, score, barrier):
    web = checkin.Web(client, deps)
    sent = web.answer(score=score, barrier=barrier)
    thanks = web.http.get(sent.headers["Location"]).get_data(as_text=True)
    expected = score == "1" or barrier == "illness"
    assert crisis_first(thanks) is expected
    if barrier and barrier != "illness":  # the barrier's own help still shows, after the crisis lines
        assert 'id="offer-h"' in thanks


@pytest.mark.parametrize("barrier", [""] + [b.value for b in Barrier])
def test_cancelling_for_illness_puts_crisis_help_first_and_no_choice_pushed(web, barrier):
    a = web.book()
    page = web.post(a, "/cancel/help", {"barrier": barrier}).get_data(as_text=True)
    assert crisis_first(page) is (barrier == "illness")
    if barrier == "illness":
        choices = page.split('id="crisis-h"', 1)[1].split("<h1", 1)[1]
        names = ["Keep it by video", "Another time", "Cancel my session"]
        assert all(name in choices for name in names)
        assert "btn-primary" not in choices  # the three stand as equals
        web.post(a, "/cancel", {"version": a.version, "barrier": barrier})
        assert crisis_first(web.get(a, "/cancelled").get_data(as_text=True))


# --- 3. no silent change of mode -----------------------------------------------------------------
def test_a_video_only_time_is_labelled_and_asks_first(web):
    a = web.book()  # in person
    times = web.get(a, "/reschedule?only=weekend").get_data(as_text=True)
    saturday = open_times.slot_value(SAT_10)
    assert re.search(rf'value="{saturday}">10:00 AM(<small>[^<]*</small>)*<small>Video only</small>', times)
    asked = web.post(a, "/reschedule", {"version": a.version, "start": saturday})
    assert asked.status_code == 302 and "/move?" in asked.headers["Location"]
    assert web.stored(a) == a and web.notifier.sent == []  # nothing moved yet
    before = web.snapshot()
    confirm = web.http.get(asked.headers["Location"])
    text = text_of(confirm)
    assert confirm.status_code == 200 and "Move your session to Saturday, March 7 at 10:00 AM?" in text
    assert "by video</strong>, not in person" in confirm.get_data(as_text=True)
    assert web.snapshot() == before  # the GET changes nothing
    done = web.post(a, "/reschedule", {"version": a.version, "start": saturday, "mode": "tele",
                                       "confirmed": "yes"})
    stored = web.stored(a)
    assert done.status_code == 302 and stored.start == SAT_10 and stored.mode is Mode.TELE
    banner = text_of(web.http.get(done.headers["Location"]))
    assert "by video (join link: https://meet.test/maya" in banner
    web.after_grace()
    sms = [s[2] for s in web.notifier.of("sms")]
    emails = [s[2] for s in web.notifier.of("email") if s[1] == web.client.email]
    assert sms and all("by video" in text for text in sms)
    assert emails and all("by video" in e.text and "https://meet.test/maya" in e.text for e in emails)


def test_a_move_within_24_hours_asks_first_and_an_ordinary_one_does_not(web):
    from dataclasses import replace

    web.store.save_settings(replace(web.store.get_settings(), min_notice_hours=1))
    a = web.book()
    soon = web.post(a, "/reschedule", {"version": a.version, "start": open_times.slot_value(MON_11)})
    assert soon.status_code == 302 and "/move?" in soon.headers["Location"]
    assert "less than 24 hours from now" in text_of(web.http.get(soon.headers["Location"]))
    ordinary = web.post(a, "/reschedule", {"version": a.version, "start": open_times.slot_value(TUE_17)})
    assert ordinary.status_code == 302 and web.stored(a).start == TUE_17
    assert "in person at 14 Elm Street" in text_of(web.http.get(ordinary.headers["Location"]))


def test_the_confirm_step_answers_bad_or_gone_times_kindly(web):
    a = web.book()
    for start, status in (("", 400), ("nonsense", 400), ("20260305T1503Z", 409)):
        answer = web.get(a, f"/move?start={start}")
        assert answer.status_code == status and "Choose another time" in text_of(answer)


# --- 4. moves can be undone ----------------------------------------------------------------------
def moved(web, to=TUE_17):
    a = web.book()
    done = web.post(a, "/reschedule", {"version": a.version, "start": open_times.slot_value(to)})
    return a, web.stored(a), done.headers["Location"]


def test_after_a_move_the_page_offers_undo_and_undo_puts_it_back(web):
    a, after, page_url = moved(web)
    page = text_of(web.http.get(page_url))
    assert "Moved from Thu Mar 5, 10:00 AM to Tue Mar 3, 5:00 PM" in page
    assert "Undo: go back to Thu Mar 5, 10:00 AM" in page
    assert "?from" not in page_url and "moved" not in page_url  # where it came from stays server-side
    back = web.post(after, "/undo", {"version": after.version})
    stored = web.stored(a)
    assert back.status_code == 302 and stored.start == THU_10 and stored.mode is Mode.IN_PERSON
    again = text_of(web.http.get(back.headers["Location"]))
    assert "back to Thursday, March 5 at 10:00 AM, in person at 14 Elm Street" in again
    assert "Moved from" not in again  # an undo is not itself undone


def test_a_stale_undo_shows_the_current_state_kindly(web):
    a, after, _ = moved(web)
    web.post(after, "/undo", {"version": after.version})
    now = web.stored(a)
    twice = web.post(after, "/undo", {"version": after.version})
    assert twice.status_code == 409 and "Here is how it stands now" in text_of(twice)
    assert web.stored(a) == now


def test_undo_is_not_offered_once_the_old_time_is_taken_and_a_late_tap_is_kind(web):
    from tests import builders

    a, after, page_url = moved(web)
    other = builders.client(cid="cli002", tid=web.therapist.id)
    web.store.add_client(other)
    web.book(THU_10, client=other)  # someone else takes the old time
    assert "Moved from" not in text_of(web.http.get(page_url))
    tap = web.post(after, "/undo", {"version": after.version})
    assert tap.status_code == 409 and "earlier time was taken in the meantime" in html.unescape(text_of(tap))
    assert web.stored(a) == after


# --- 7. calendar ---------------------------------------------------------------------------------
def test_calendar_links_follow_each_services_event_template(web):
    a = web.book()
    page = web.get(a).get_data(as_text=True)
    google = html.unescape(re.search(r'href="(https://calendar.google.com/[^"]+)"', page).group(1))
    outlook = html.unescape(re.search(r'href="(https://outlook.live.com/[^"]+)"', page).group(1))
    g = parse_qs(urlsplit(google).query)
    assert urlsplit(google).path == "/calendar/render" and g["action"] == ["TEMPLATE"]
    assert g["text"] == ["Session with Maya Chen"] and g["dates"] == ["20260305T150000Z/20260305T155000Z"]
    assert g["location"] == ["14 Elm Street"] and web.path(a) in g["details"][0]
    o = parse_qs(urlsplit(outlook).query)
    assert urlsplit(outlook).path == "/calendar/0/deeplink/compose"
    assert o["path"] == ["/calendar/action/compose"] and o["rru"] == ["addevent"]
    assert (o["startdt"], o["enddt"]) == (["2026-03-05T15:00:00Z"], ["2026-03-05T15:50:00Z"])
    assert "Alex" not in google + outlook  # nothing about the client
    # The calendar links are plain links: the page's one script is the optional busy-button one.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/busy.js" defer>']
    answer = web.get(a, "/calendar.ics")
    assert 'filename="attune-2026-03-05.ics"' in answer.headers["Content-Disposition"]


def test_the_calendar_file_is_named_by_the_clients_local_date(web):
    from dataclasses import replace

    late = web.book(T0 + timedelta(days=1, hours=10))  # Tue 7 PM in New York, Wed 00:00 UTC
    web.store.update_client(replace(web.client, timezone="America/New_York"))
    assert 'filename="attune-2026-03-03.ics"' in web.get(late, "/calendar.ics").headers["Content-Disposition"]


# --- 5. the client's other sessions --------------------------------------------------------------
def test_times_next_to_the_clients_other_sessions_are_not_offered(web):
    from tests import builders

    a = web.book()
    other_therapist = builders.therapist(tid="ther02", name="Sam")
    web.store.add_therapist(other_therapist, builders.weekday_availability(days=range(7)))
    # The client's session with another therapist of the practice, Tuesday 5:30 PM.
    from dataclasses import replace

    from portal.domain.audit import Actor
    from portal.services.sessions.booking import record_booking

    elsewhere = record_booking(web.deps, other_therapist, replace(web.client, therapist_id="ther02"),
                               TUE_17 + timedelta(minutes=30), Mode.TELE, actor=Actor.system("test"))
    page = web.get(a, "/reschedule")
    assert "Your other sessions" in text_of(page) and "Tuesday, March 3 at 5:30 PM" in text_of(page)
    offered = [open_times.parse_slot_value(v) for v in re.findall(r'name="start" value="([^"]+)"',
                                                                  page.get_data(as_text=True))]
    gap = timedelta(minutes=web.therapist.buffer_minutes)
    assert offered and all(s >= elsewhere.end + gap or s + timedelta(minutes=50) + gap <= elsewhere.start
                           for s in offered)
    assert TUE_17 not in offered and TUE_17 + timedelta(hours=1) not in offered


def test_a_cancelled_link_leads_to_the_session_booked_from_it(web):
    a = web.book()
    web.post(a, "/cancel", {"version": a.version})
    cancelled = web.stored(a)
    booked = web.post(cancelled, "/rebook", {"start": open_times.slot_value(TUE_17)})
    assert booked.status_code == 302
    old_link = web.get(cancelled)
    assert old_link.status_code == 302 and old_link.headers["Location"] == booked.headers["Location"]


# --- 6. a shorter time picker --------------------------------------------------------------------
def test_suggestions_filters_and_later_times(web, clock):
    from dataclasses import replace

    from portal.domain.audit import Actor, AuditEvent
    from portal.domain.model import Status
    from portal.services.sessions.booking import record_booking

    for weeks in (1, 2, 3):  # the client's usual: Tuesday evenings
        past = record_booking(web.deps, web.therapist, web.client, TUE_17 - timedelta(weeks=weeks),
                              Mode.IN_PERSON, actor=Actor.system("test"))
        web.store.record_past_session(replace(past, status=Status.ATTENDED),
                                      AuditEvent(past.id, clock.now(), "test", "attended", "test", {}))
    a = web.book()
    first = web.get(a, "/reschedule").get_data(as_text=True)
    top = first.split('class="slots suggested"')[1].split("</ul>")[0]
    suggested = re.findall(r'value="([^"]+)">(Tuesday[^<]*)', top)
    assert 1 <= len(suggested) <= 3 and all("PM" in when for _, when in suggested)
    evening = web.get(a, "/reschedule?only=evening").get_data(as_text=True)
    assert "<small>Evening</small>" not in evening and 'aria-current="page">Evening' in evening
    assert "slots suggested" not in evening
    mornings = web.get(a, "/reschedule?only=morning").get_data(as_text=True)
    later = re.search(r'href="([^"]*from=[^"]*)">Later times', mornings)
    assert later and "only=morning" in html.unescape(later.group(1))
    on = web.get(a, "/reschedule?only=morning&from=2026-03-10").get_data(as_text=True)
    shown_all = re.search(r'href="([^"]*)">Show all', on)
    assert "from=2026-03-10" in html.unescape(shown_all.group(1)) and "only" not in shown_all.group(1)
    assert len(re.findall(r'name="start"', first)) <= open_times.FIRST_PAGE + 3 + 6  # a short first view


# --- 10. small things ----------------------------------------------------------------------------
@pytest.mark.parametrize("windows, says, never", [
    ("mornings", "next open times", ("evening", "weekend")),
    ("evenings", "has evening times", ("weekend",)),
    ("both", "has evening and weekend times", ()),
])
def test_the_schedule_clash_help_names_only_the_times_there_are_and_offers_a_time_first(
        app, deps, windows, says, never):
    from datetime import time

    from portal.domain.model import Availability, AvailabilityWindow

    chosen = {"mornings": [AvailabilityWindow(d, time(9), time(12)) for d in range(5)],
              "evenings": [AvailabilityWindow(d, time(9), time(20)) for d in range(5)],
              "both": [AvailabilityWindow(d, time(9), time(20)) for d in range(7)]}[windows]
    web = Web(app, deps, availability=Availability(windows=tuple(chosen)))
    a = web.book()
    page = web.post(a, "/cancel/help", {"barrier": "schedule"}).get_data(as_text=True)
    message = re.search(r"<h1>.*?</h1>\s*<p>(.*?)</p>", page, re.S).group(1)
    assert says in message and not any(word in message for word in never)
    assert 'name="start"' in page and 'value="tele"' not in page.split('name="start"')[0]


def test_phone_numbers_never_wrap_and_zones_never_nest(web):
    from portal.domain.wording import zone_label

    a = web.book()
    page = web.get(a).get_data(as_text=True)
    assert re.search(r'<a class="phone" href="tel:\+12025550100">', page)
    css = (__import__("portal.paths", fromlist=["ROOT"]).ROOT / "static/css/attune.css").read_text()
    assert re.search(r"\.phone\s*\{\s*white-space:\s*nowrap", css)
    for name in ("America/New_York", "Asia/Dubai", "America/Sao_Paulo", "UTC", "Asia/Kolkata"):
        label = zone_label(name, T0)
        assert label.count("(") <= 1 and "((" not in label, label
