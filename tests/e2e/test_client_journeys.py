"""Client journeys through the Flask test client, on the in-memory fakes: from a link to a change."""
import copy
import html
import re
from datetime import time, timedelta

import pytest

from portal.domain.audit import Actor
from portal.domain.model import Availability, AvailabilityWindow, Barrier, Mode, PracticeSettings, Status
from portal.domain.timemath import to_local
from portal.paths import ROOT
from portal.services.client import changes as actions
from portal.services.sessions import open_times
from portal.services.sessions.booking import HowRecorded, record_booking
from tests import builders
from tests.conftest import BASE_URL, T0

THU_10 = T0 + timedelta(days=3, hours=1)  # Thursday 10:00 in New York
SOON = T0 + timedelta(hours=20)  # inside the 24-hour late-cancel window
CSS_BYTES = (ROOT / "static" / "css" / "attune.css").stat().st_size
SETTINGS = PracticeSettings(display_name="Riverbend Counseling", contact_phone="+1 202-555-0100",
                            cost_text="We offer a sliding scale; ask us about it.",
                            crisis_text="In a crisis, call or text 988.")
WINDOWS = Availability(windows=(
    *(AvailabilityWindow(d, time(9), time(12)) for d in range(5)),
    AvailabilityWindow(1, time(17), time(20)),
    AvailabilityWindow(5, time(9), time(12), frozenset({Mode.TELE})),
))


class Web:
    """The portal on fakes, with one therapist and client, and helpers for a client's taps."""

    def __init__(self, app, deps, availability=WINDOWS, client_zone="America/New_York"):
        self.app, self.http, self.deps = app, app.test_client(), deps
        store = deps.store
        self.store, self.notifier, self.clock, self.links = store, deps.notifier, deps.clock, deps.links
        store.save_settings(SETTINGS)
        self.therapist = builders.therapist()
        store.add_therapist(self.therapist, availability)
        self.client = builders.client(tid=self.therapist.id, zone=client_zone)
        store.add_client(self.client)

    def book(self, start=THU_10, mode=Mode.IN_PERSON, client=None, status=Status.SCHEDULED):
        return record_booking(self.deps, self.therapist, client or self.client, start, mode,
                              actor=Actor.system("test"), location="14 Elm Street",
                              how=HowRecorded(status=status))

    def after_grace(self):
        """The client's changes are told after a grace period, by the reminders run."""
        return builders.after_grace(self.deps)

    def path(self, appointment, suffix=""):
        return self.links.appointment_url(appointment, suffix).removeprefix(BASE_URL)

    def get(self, appointment, suffix="", **kw):
        return self.http.get(self.path(appointment, suffix), **kw)

    def csrf(self, appointment):
        """The session's CSRF token, from a page of this link that has a form."""
        for suffix in ("", "/rebook"):
            found = re.search(r'name="csrf_token" value="([^"]+)"',
                              self.get(appointment, suffix).get_data(as_text=True))
            if found:
                return found.group(1)
        return self.csrf(self.book(T0 + timedelta(days=20, hours=1)))  # an attended one has none

    def post(self, appointment, suffix, data, with_csrf=True):
        if with_csrf:
            data = {"csrf_token": self.csrf(appointment), **data}
        return self.http.post(self.path(appointment, suffix), data=data)

    def stored(self, appointment):
        return self.store.get_appointment(appointment.id)

    def snapshot(self):
        return copy.deepcopy(self.store.table._items)  # every item in the table


@pytest.fixture
def web(app, deps):
    return Web(app, deps)


def text_of(answer) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", answer.get_data(as_text=True)))


def slot_values(answer):
    return re.findall(r'name="start" value="([^"]+)"', answer.get_data(as_text=True))


def evening_or_weekend(value, zone_name="America/New_York"):
    local = to_local(open_times.parse_slot_value(value), zone_name)
    return local.hour >= 17 or local.weekday() >= 5


# --- the page and confirming -------------------------------------------------------------------
def test_the_page_shows_the_session_in_the_clients_zone_with_confirm_first(app, deps):
    web = Web(app, deps, client_zone="America/Los_Angeles")
    a = web.book()
    answer = web.get(a)
    assert answer.status_code == 200
    page = text_of(answer)
    assert "Thursday, March 5" in page and "7:00 AM to 7:50 AM" in page
    assert "Los Angeles time (PST)" in page and "Maya Chen" in page and "14 Elm Street" in page
    assert "Not confirmed yet" in page and "Rivera" not in page
    body = answer.get_data(as_text=True)
    first_button = re.search(r"<button[^>]*>([^<]+)</button>", body)
    assert "btn-primary" in first_button.group(0) and "Confirm" in first_button.group(1)
    for label in ("Choose another time", "Switch to video", "Add to calendar", "I can't make it"):
        assert label in page


def test_confirm_is_one_tap_and_a_second_tap_writes_and_sends_nothing(web):
    a = web.book()
    answer = web.post(a, "/confirm", {"version": a.version})
    assert answer.status_code == 302
    page = text_of(web.http.get(answer.headers["Location"]))
    assert "you're confirmed" in page and "Confirmed" in page
    assert web.stored(a).status is Status.CONFIRMED
    assert web.notifier.sent == []  # told once the grace period is over
    web.after_grace()
    assert [s[0] for s in web.notifier.sent] == ["email", "sms"]
    before = web.snapshot()
    again = web.post(a, "/confirm", {"version": a.version})  # the same old page, tapped again
    assert again.status_code == 302
    assert "already confirmed" in text_of(web.http.get(again.headers["Location"]))
    assert web.snapshot() == before
    web.after_grace()
    assert len(web.notifier.sent) == 2


def test_a_failed_send_still_shows_the_change_as_done(web):
    a = web.book()
    web.notifier.throttle = lambda channel: True
    answer = web.post(a, "/confirm", {"version": a.version})
    assert answer.status_code == 302
    assert "you're confirmed" in text_of(web.http.get(answer.headers["Location"]))


def test_a_stale_page_gets_the_current_state_kindly(web):
    a = web.book()
    token_page_version = a.version
    ctx = web.store.load_context(a.id, a.client_id, a.therapist_id)
    actions.reschedule(web.deps, ctx, THU_10 + timedelta(days=1), a.version)  # from another device
    moved = web.stored(a)
    answer = web.post(a, "/mode", {"version": token_page_version, "mode": "tele"})
    assert answer.status_code == 409
    page = text_of(answer)
    assert "changed a moment ago" in page and "Friday, March 6" in page
    assert "Something went wrong" not in page
    assert web.stored(a) == moved  # the stale page changed nothing
    # Choosing the new time themselves confirmed it: a stale Confirm tap is simply a no-op.
    assert moved.status is Status.CONFIRMED
    assert web.post(a, "/confirm", {"version": token_page_version}).status_code == 302
    assert web.stored(a) == moved


def test_every_change_needs_the_csrf_token(web):
    a = web.book()
    before = web.snapshot()
    for suffix, data in [("/confirm", {"version": 1}), ("/mode", {"version": 1, "mode": "tele"}),
                         ("/cancel", {"version": 1}), ("/reschedule", {"version": 1, "start": "x"})]:
        answer = web.post(a, suffix, data, with_csrf=False)
        assert answer.status_code == 400 and "reload the page" in text_of(answer)
    assert web.snapshot() == before


def test_get_and_head_of_every_client_route_change_nothing(web):
    open_ = web.book()
    closed = web.book(THU_10 + timedelta(days=1), client=None)
    ctx = web.store.load_context(closed.id, closed.client_id, closed.therapist_id)
    closed = actions.cancel(web.deps, ctx, closed.version, Barrier.COST)
    web.notifier.sent.clear()
    before = web.snapshot()
    for appointment in (open_, closed):
        for suffix in ("", "/calendar.ics", "/reschedule", "/reschedule?only=evening-weekend",
                       "/reschedule?mode=tele", "/cancel", "/cancelled", "/rebook"):
            for method in (web.http.get, web.http.head):
                answer = method(web.path(appointment, suffix))
                assert answer.status_code < 500
    assert web.snapshot() == before and web.notifier.sent == []


# --- reschedule --------------------------------------------------------------------------------
def test_reschedule_in_two_taps_with_evenings_and_weekends_labelled(web):
    a = web.book()
    listing = web.get(a, "/reschedule")
    page = text_of(listing)
    assert listing.status_code == 200 and "Times are in New York time." in page
    assert "Tuesday, March 3" in page and "Evening" in page
    weekend = text_of(web.get(a, "/reschedule?only=weekend"))
    assert "Saturday, March 7" in weekend and "Video only" in weekend  # the Saturday window is video only
    values = slot_values(listing)
    assert open_times.slot_value(THU_10) not in values  # not the time it already has
    evening = slot_values(web.get(a, "/reschedule?only=evening-weekend"))
    assert evening and all(evening_or_weekend(v) for v in evening)
    assert not all(evening_or_weekend(v) for v in values)
    choice = next(v for v in values if v.startswith("20260303T22"))  # Tuesday 17:00
    answer = web.post(a, "/reschedule", {"version": a.version, "start": choice})
    assert answer.status_code == 302
    page = text_of(web.http.get(answer.headers["Location"]))
    assert "your session is now Tuesday, March 3 at 5:00 PM" in page
    assert web.stored(a).start == open_times.parse_slot_value(choice)


def test_a_time_taken_a_moment_earlier_gets_fresh_times(web):
    a = web.book()
    listing = web.get(a, "/reschedule")
    wanted = slot_values(listing)[0]
    rival = builders.client(cid="cli002", tid=web.therapist.id, first_name="Sam")
    web.store.add_client(rival)
    web.book(open_times.parse_slot_value(wanted), client=rival)
    answer = web.post(a, "/reschedule", {"version": a.version, "start": wanted})
    assert answer.status_code == 409
    assert "Someone else just took that time" in text_of(answer)
    assert wanted not in slot_values(answer) and slot_values(answer)
    assert web.stored(a).start == THU_10


@pytest.mark.parametrize("start, message", [
    ("garbage", "Please pick one of the times shown."),
    ("20260303T0300Z", "That time is no longer open."),
    ("", "Please pick one of the times shown."),
])
def test_a_bad_time_re_renders_the_times_in_plain_words(web, start, message):
    a = web.book()
    answer = web.post(a, "/reschedule", {"version": a.version, "start": start})
    assert answer.status_code in (400, 409) and message in text_of(answer)
    assert slot_values(answer) and web.stored(a) == a


# --- video and back ----------------------------------------------------------------------------
def test_switch_to_video_shows_the_join_link_and_back(web):
    a = web.book()
    answer = web.post(a, "/mode", {"version": a.version, "mode": "tele"})
    assert answer.status_code == 302
    answer = web.http.get(answer.headers["Location"])
    assert "now by video" in text_of(answer) and "https://meet.test/maya" in text_of(answer)
    assert "Switch to in person" in text_of(answer)
    tele = web.stored(a)
    back = web.post(a, "/mode", {"version": tele.version, "mode": "in_person"})
    assert back.status_code == 302 and web.stored(a).mode is Mode.IN_PERSON
    bad = web.post(a, "/mode", {"version": web.stored(a).version, "mode": "car"})
    assert bad.status_code == 400 and "Please choose in person or video." in text_of(bad)


# --- cancel with help for the barrier ----------------------------------------------------------
OFFERS = {
    "transport": "Keep it, by video",
    "schedule": "has evening and weekend times",
    "cost": "We offer a sliding scale; ask us about it.",
    "anxiety": "go at your own pace",
    "illness": "In a crisis, call or text 988.",
    "other": "Before you go",
    "": "Before you go",
}


@pytest.mark.parametrize("barrier", list(OFFERS))
def test_cancel_offers_help_for_the_barrier_then_cancels(web, barrier):
    a = web.book()
    ask = web.get(a, "/cancel")
    assert ask.status_code == 200 and "What got in the way? (optional)" in text_of(ask)
    assert "You don't have to answer" in text_of(ask)
    note = "Running late at work, sorry" if barrier else ""
    help_page = web.post(a, "/cancel/help", {"barrier": barrier, "note": note})
    assert help_page.status_code == 200
    final = "Cancel my session" if barrier == "illness" else "Still need to cancel?"
    assert OFFERS[barrier] in text_of(help_page) and final in text_of(help_page)
    assert web.stored(a) == a  # offering help changes nothing
    if barrier == "schedule":
        offered = slot_values(help_page)
        assert offered and all(evening_or_weekend(v) for v in offered)
    done = web.post(a, "/cancel", {"version": a.version, "barrier": barrier, "note": note})
    assert done.status_code == 302 and done.headers["Location"].endswith("/cancelled")
    page = text_of(web.http.get(done.headers["Location"]))
    assert "Your session is cancelled" in page and "Book a new time" in page
    stored = web.stored(a)
    assert stored.status is Status.CANCELLED and stored.note == note
    assert stored.barrier == (Barrier(barrier) if barrier else None)
    inbox = web.store.inbox(web.therapist.id)
    assert len(inbox) == (1 if barrier else 0)
    therapist_mail = [s for s in web.notifier.of("email") if s[1] == web.therapist.email]
    assert len(therapist_mail) == 1


def test_accepting_the_offer_keeps_the_session(web):
    a = web.book()
    help_page = web.post(a, "/cancel/help", {"barrier": "transport"})
    form = re.search(r'<form method="post" action="([^"]+/mode)">.*?name="version" value="(\d+)"',
                     help_page.get_data(as_text=True), re.S)
    answer = web.http.post(form.group(1), data={"csrf_token": web.csrf(a), "version": form.group(2),
                                                "mode": "tele"})
    assert answer.status_code == 302
    assert web.stored(a).mode is Mode.TELE and web.stored(a).status is Status.SCHEDULED


def test_the_late_cancel_policy_is_stated_before_the_final_tap(web):
    a = web.book(SOON)
    help_page = web.post(a, "/cancel/help", {"barrier": "illness"}).get_data(as_text=True)
    policy = help_page.index("less than 24 hours away")
    assert policy < help_page.index(">Cancel my session</button>")
    assert "late cancellation" in html.unescape(help_page)
    web.post(a, "/cancel", {"version": a.version, "barrier": "illness"})
    assert web.stored(a).status is Status.LATE_CANCELLED
    outside = web.post(web.book(THU_10), "/cancel/help", {"barrier": ""})
    assert "late cancellation" not in text_of(outside)


def test_the_note_is_shown_escaped_and_kept_to_its_length(web):
    a = web.book()
    script = "<script>alert('hi')</script>"
    help_page = web.post(a, "/cancel/help", {"barrier": "other", "note": script})
    assert "<script>" not in help_page.get_data(as_text=True)
    too_long = web.post(a, "/cancel/help", {"barrier": "cost", "note": "x" * 501})
    assert too_long.status_code == 400
    assert "Please keep your note under 500 characters." in text_of(too_long)
    assert 'value="cost" checked' in too_long.get_data(as_text=True)  # the answer is kept
    bad = web.post(a, "/cancel/help", {"barrier": "aliens"})
    assert bad.status_code == 400 and "Please choose one of the answers, or none." in text_of(bad)
    web.post(a, "/cancel", {"version": a.version, "barrier": "other", "note": script})
    assert web.stored(a).note == script


# --- closed sessions, rebooking, bad links -----------------------------------------------------
def test_closed_sessions_get_a_friendly_page_and_a_way_forward(web):
    for status, heading, rebook in [(Status.CANCELLED, "This session was cancelled", True),
                                    (Status.NO_SHOW, "We missed you", True),
                                    (Status.ATTENDED, "This session has taken place", False)]:
        a = web.book(THU_10 + timedelta(days=len(heading)), status=status)
        answer = web.get(a)
        assert answer.status_code == 410
        assert heading in text_of(answer) and ("Book a new time" in text_of(answer)) is rebook
        assert "+1 202-555-0100" in text_of(answer)
        late = web.post(a, "/confirm", {"version": a.version})
        assert late.status_code == 409 and heading in text_of(late)


def test_book_a_new_time_after_a_cancel_or_a_missed_session(web):
    missed = web.book(THU_10, status=Status.NO_SHOW)
    listing = web.get(missed, "/rebook")
    assert listing.status_code == 200 and "Book a new time" in text_of(listing)
    choice = slot_values(listing)[2]
    answer = web.post(missed, "/rebook", {"start": choice})
    assert answer.status_code == 302
    new_page = web.http.get(answer.headers["Location"])
    assert "You're booked for" in text_of(new_page) and new_page.status_code == 200
    [new] = [x for x in web.store.client_appointments(web.client.id, T0, T0 + timedelta(days=60))
             if x.id != missed.id]
    assert new.start == open_times.parse_slot_value(choice) and new.therapist_id == web.therapist.id
    web.after_grace()
    assert "booked" in web.notifier.of("sms")[-1][2]
    again = web.post(missed, "/rebook", {"start": choice})
    assert "You already booked" in text_of(web.http.get(again.headers["Location"]))
    assert "You've already booked a new time" in text_of(web.get(missed, "/rebook"))
    at_that_time = [x for x in web.store.client_appointments(web.client.id, T0, T0 + timedelta(days=60))
                    if x.start == new.start]
    assert at_that_time == [new]  # the second tap booked nothing more
    open_one = web.get(new, "/rebook")
    assert open_one.status_code == 302 and open_one.headers["Location"].endswith("/reschedule")


def test_an_expired_link_reveals_nothing_and_says_how_to_get_a_new_one(web):
    a = web.book()
    web.clock.set(a.end + timedelta(days=8))
    answer = web.get(a)
    assert answer.status_code == 410
    page = text_of(answer)
    assert "This link has expired" in page and "+1 202-555-0100" in page and "fresh link" in page
    for secret in ("Alex", "Maya", "Thursday", "March", "14 Elm"):
        assert secret not in page


def test_bad_links_get_a_friendly_404_with_no_data(web):
    a = web.book()
    good = web.path(a)
    forged = web.links.token(a.__class__(**{**a.__dict__, "client_id": "cli999"}))
    for path in (good[:-3] + "abc", good + "x", "/a/nonsense", "/a/" + forged,
                 good[:-3] + "abc/reschedule"):
        answer = web.http.get(path)
        assert answer.status_code == 404, path
        page = text_of(answer)
        assert "We couldn't open this link" in page and "Alex" not in page and "Maya" not in page


def test_a_started_session_offers_no_changes(web):
    a = web.book(THU_10, Mode.TELE)
    web.clock.set(THU_10 + timedelta(minutes=10))
    page = text_of(web.get(a))
    assert "time has come" in page and "join by video" in page and "Confirm" not in page
    assert web.get(a, "/cancel").status_code == 302


def test_the_calendar_file_downloads(web):
    a = web.book()
    answer = web.get(a, "/calendar.ics")
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    assert 'filename="attune-2026-03-05.ics"' in answer.headers["Content-Disposition"]
    assert f"UID:{a.id}@attune".encode() in answer.data


# --- weight ------------------------------------------------------------------------------------
def test_every_page_with_its_css_weighs_at_most_30_kb(app, deps):
    busy = Availability(windows=tuple(AvailabilityWindow(d, time(7), time(21)) for d in range(7)))
    web = Web(app, deps, availability=busy)
    a = web.book()
    pages = [web.get(a), web.get(a, "/reschedule"), web.get(a, "/cancel")]
    pages += [web.post(a, "/cancel/help", {"barrier": b.value}) for b in Barrier]
    done = web.post(a, "/cancel", {"version": a.version, "barrier": "schedule"})
    pages += [web.http.get(done.headers["Location"]), web.get(a), web.get(a, "/rebook")]
    web.clock.set(a.end + timedelta(days=8))
    pages += [web.get(a), web.http.get("/a/nonsense")]
    for answer in pages:
        assert len(answer.data) + CSS_BYTES <= 30 * 1024, (answer.request.path, len(answer.data))
    assert len(slot_values(pages[1])) >= open_times.FIRST_PAGE  # a full page of times, under the limit
