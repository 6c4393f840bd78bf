"""Whole workspace journeys through the Flask test client on the seeded demo practice."""
import re
from datetime import timedelta

import pytest

from portal.domain.audit import Actor
from portal.domain.model import Barrier, InboxItem, Mode, Status
from portal.domain.timemath import iso_utc, to_local
from portal.services.sessions import booking
from tests.conftest import T0
from tests.workspace_support import MAYA, SAM, Web, seeded, text

NY = "America/New_York"


@pytest.fixture(autouse=True)
def demo_practice(deps):
    return seeded(deps)


@pytest.fixture
def maya(app):
    web = Web(app)
    web.login(MAYA)
    return web


def availability_form(web, therapist_id, store, rows, time_off=(), session="50", buffer="10", version=None):
    """The availability form as the page posts it: existing rows plus the given ones."""
    current = store.get_availability(therapist_id)
    data = {"version": str(current.version if version is None else version),
            "session_minutes": session, "buffer_minutes": buffer}
    for n, (weekday, start, end, modes) in enumerate(rows):
        data.update({f"windows-{n}-weekday": str(weekday), f"windows-{n}-start": start,
                     f"windows-{n}-end": end, f"windows-{n}-modes": modes})
    for n, (first, last) in enumerate(time_off):
        data.update({f"time_off-{n}-first_day": first, f"time_off-{n}-last_day": last})
    return data


def existing_rows(store, therapist_id):
    return [(w.weekday, f"{w.start:%H:%M}", f"{w.end:%H:%M}", sorted(m.value for m in w.modes))
            for w in store.get_availability(therapist_id).windows]


def test_a_saturday_window_shows_at_once_in_a_clients_reschedule_choices(app, maya, deps):
    store = deps.store
    ctx = store.load_context("demomche00", "calex01", "mchen1")
    assert not [s for s in booking.reschedule_options(deps, ctx) if to_local(s.start, NY).weekday() == 5]
    rows = existing_rows(store, "mchen1") + [(5, "10:00", "14:00", ["in_person", "tele"])]
    saved = maya.post("/t/availability", availability_form(maya, "mchen1", store, rows))
    assert saved.status_code == 302
    page = text(maya.get("/t/availability"))
    assert "Your hours are saved" in page and "Saturday 10:00 AM–2:00 PM" in page
    assert "Saturday, March 7 10:00 AM" in page  # the two-week preview shows what clients get
    ctx = store.load_context("demomche00", "calex01", "mchen1")
    saturdays = [s for s in booking.reschedule_options(deps, ctx) if to_local(s.start, NY).weekday() == 5]
    assert saturdays and to_local(saturdays[0].start, NY).strftime("%a %H:%M") == "Sat 10:00"
    # The client's own reschedule page (the link in their reminder) offers them too.
    url = deps.links.appointment_url(ctx.appointment, "/reschedule").removeprefix("https://portal.test")
    client_page = Web(app).get(url + "?only=evening-weekend")
    assert client_page.status_code == 200 and "Saturday" in text(client_page)


def window_rows(page):
    """(legend, start value) of each window row the page shows, in order."""
    return re.findall(r'<legend>((?:New w|W)indow[^<]*)</legend>.*?name="windows-\d+-start"[^>]*?(?:value="([^"]*)")?>',
                      page, re.S)


def test_the_hours_page_shows_the_windows_in_use_and_one_blank_row(maya, deps):
    page = maya.get("/t/availability").get_data(as_text=True)
    in_use = len(deps.store.get_availability("mchen1").windows)
    rows = window_rows(page)
    assert len(rows) == in_use + 1 and rows[-1] == ("New window", "")
    assert all(start for _, start in rows[:-1])
    assert len(re.findall(r'name="time_off-\d+-first_day"', page)) == len(
        deps.store.get_availability("mchen1").time_off) + 1
    assert '>Add a window</button>' in page and '>Add time off</button>' in page


def test_add_a_window_keeps_what_was_typed_adds_a_row_and_saves_nothing(maya, deps):
    store = deps.store
    before = store.get_availability("mchen1")
    rows = existing_rows(store, "mchen1") + [(5, "10:00", "14:00", ["tele"])]
    answer = maya.post("/t/availability", {**availability_form(maya, "mchen1", store, rows), "add": "windows"})
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    shown = window_rows(page)
    assert len(shown) == len(rows) + 1 and shown[-2][1] == "10:00" and shown[-1] == ("New window", "")
    assert f'<select autofocus id="windows-{len(rows)}-weekday"' in page and page.count("autofocus") == 1
    assert "Nothing is saved until you press Save hours" in text(answer)
    assert store.get_availability("mchen1") == before
    off = [("2026-03-20", "2026-03-21")]
    more_off = maya.post("/t/availability", {**availability_form(maya, "mchen1", store, rows, off), "add": "time_off"})
    days_off = re.findall(r'name="time_off-\d+-first_day"(?: type="date")?(?: value="([^"]*)")?',
                          more_off.get_data(as_text=True))
    assert days_off == ["2026-03-20", ""]  # what was typed, then the new row
    assert store.get_availability("mchen1") == before


def test_add_a_window_needs_the_forms_token_and_a_get_never_adds(maya, deps):
    store = deps.store
    before = store.get_availability("mchen1")
    form = {**availability_form(maya, "mchen1", store, existing_rows(store, "mchen1")), "add": "windows"}
    assert maya.post("/t/availability", form, csrf=False).status_code == 400
    page = maya.get("/t/availability?add=windows").get_data(as_text=True)
    assert len(window_rows(page)) == len(before.windows) + 1
    assert store.get_availability("mchen1") == before


def test_a_ticked_remove_takes_a_window_away(maya, deps):
    store = deps.store
    rows = existing_rows(store, "mchen1")
    form = {**availability_form(maya, "mchen1", store, rows), "windows-0-remove": "y"}
    assert maya.post("/t/availability", form).status_code == 302
    left = existing_rows(store, "mchen1")
    assert len(left) == len(rows) - 1 and rows[0] not in left


def test_bad_windows_get_inline_messages_and_nothing_is_saved(maya, deps):
    store = deps.store
    before = store.get_availability("mchen1")
    rows = [(1, "08:00", "12:00", ["in_person"]), (1, "11:00", "13:00", ["tele"]),
            (2, "17:00", "09:00", ["tele"]), (3, "9 in the morning", "12:00", ["tele"])]
    answer = maya.post("/t/availability", availability_form(maya, "mchen1", store, rows, session="7"))
    assert answer.status_code == 400
    page = text(answer)
    assert "Nothing was saved yet: please fix the marked rows." in page
    assert "Overlaps Tuesday 8:00 AM to 12:00 PM. Please adjust one of them." in page
    assert "The end time must be after the start time." in page
    assert "Use a time such as 09:00 or 17:30." in page
    assert "Session length must be 15 to 150 minutes, in steps of 5." in page
    assert 'value="9 in the morning"' in answer.get_data(as_text=True)  # what was typed stays
    assert store.get_availability("mchen1") == before


def test_a_stale_availability_form_is_refused_with_a_clear_message(maya, deps):
    store = deps.store
    rows = existing_rows(store, "mchen1")
    first = availability_form(maya, "mchen1", store, rows + [(6, "10:00", "12:00", ["tele"])])
    stale = availability_form(maya, "mchen1", store, rows + [(5, "10:00", "12:00", ["tele"])])
    assert maya.post("/t/availability", first).status_code == 302
    answer = maya.post("/t/availability", stale)
    assert answer.status_code == 409
    assert "Your availability was changed in another window" in text(answer)
    assert {w.weekday for w in store.get_availability("mchen1").windows} >= {6}
    assert 5 not in {w.weekday for w in store.get_availability("mchen1").windows}


def test_removing_hours_keeps_booked_sessions_and_flags_them(maya, deps):
    store = deps.store
    rows = [r for r in existing_rows(store, "mchen1") if r[0] != 1]  # no more Tuesdays
    answer = maya.post("/t/availability", availability_form(maya, "mchen1", store, rows), follow_redirects=True)
    page = text(answer)
    assert "booked session(s) now fall outside your hours. They stay booked" in page
    assert store.get_appointment("demomche00").status is Status.SCHEDULED  # Tue 3 March, kept
    assert "Outside your current hours" in text(maya.get("/t/"))
    assert "Outside your current hours" in text(maya.get("/t/appointments"))


def test_add_and_edit_a_client_with_inline_messages(maya, deps):
    form = {"first_name": "Robin", "last_name": "Vale", "email": "robin@", "phone": "12",
            "timezone": "Atlantis", "channels": ["email", "sms"]}
    refused = maya.post("/t/clients/new", form)
    assert refused.status_code == 400
    page = text(refused)
    for words in ("doesn't look like an email address", "doesn't look like a phone number",
                  "not a time zone we know"):
        assert words in page
    form.update(email="robin.vale@example.com", phone="202-555-0177", timezone="America/Denver",
                sms_consent="y")
    added = maya.post("/t/clients/new", form)
    assert added.status_code == 302
    client_id = added.location.rsplit("/", 1)[1]
    client = deps.store.get_client(client_id)
    assert (client.therapist_id, client.phone, client.can_text) == ("mchen1", "+12025550177", True)
    edited = maya.post(f"/t/clients/{client_id}/edit", dict(form, channels=["sms"], sms_consent=""))
    assert "Texts need the client's consent" in text(edited)
    assert maya.post(f"/t/clients/{client_id}/edit", dict(form, first_name="Rob")).status_code == 302
    assert deps.store.get_client(client_id).first_name == "Rob"


def test_book_one_session_and_a_series_from_the_open_times(maya, deps):
    store = deps.store
    page = maya.get("/t/clients/calex01").get_data(as_text=True)
    first_slot = page.split('name="start" value="', 1)[1].split('"', 1)[0]
    booked = maya.post("/t/clients/calex01/book", {"start": first_slot, "mode": "tele", "repeat": "0"})
    assert booked.status_code == 302
    mine = [a for a in store.client_appointments("calex01", T0, T0 + timedelta(days=60))
            if iso_utc(a.start) == first_slot]
    assert mine and mine[0].mode is Mode.TELE and mine[0].join_url
    assert store.audit_trail(mine[0].id)[0].actor == "therapist:mchen1"
    assert [e[2].subject.split(":")[0] for e in deps.notifier.of("email")] == ["Booked"]
    again = maya.post("/t/clients/calex01/book", {"start": first_slot, "mode": "tele", "repeat": "0"})
    assert again.status_code == 409 and "That time is no longer open" in text(again)
    # A weekly series of four at Tuesday 17:00: the seeded Jordan session on 3 March takes the first.
    series = maya.post("/t/clients/cpriy03/book", {"start": "2026-03-03T22:00:00Z", "mode": "in_person",
                                                   "repeat": "1", "count": "4"})
    page = text(series)
    assert "Booked 3 of 4 sessions." in page
    assert "Tuesday, March 3, 5:00 PM: not booked : That time is already taken." in page.replace(" :", " :")
    starts = {iso_utc(a.start) for a in store.client_appointments("cpriy03", T0, T0 + timedelta(days=40))}
    assert {"2026-03-10T21:00:00Z", "2026-03-17T21:00:00Z", "2026-03-24T21:00:00Z"} <= starts
    assert len(deps.notifier.of("email")) == 2  # one "booked" for the series, not one per session


def test_reschedule_switch_cancel_and_attendance_on_the_clients_behalf(maya, deps, clock):
    store = deps.store
    ctx = store.load_context("demomche02", "cpriy03", "mchen1")
    new = booking.reschedule_options(deps, ctx)[3].start
    moved = maya.post("/t/appointments/demomche02/reschedule",
                      {"start": iso_utc(new), "version": str(ctx.appointment.version)})
    assert moved.status_code == 302
    after = store.get_appointment("demomche02")
    assert after.start == new and not after.changed_by_client
    # Priya hears of the new time on her channels: the email now; the text waits, since it is
    # 6 AM for her in Los Angeles (quiet hours), and goes out when they end.
    told = [(c, to) for c, to, _ in deps.notifier.sent]
    assert told == [("email", "priya.natarajan@example.com")]
    from portal.services.client.change_notices import send_change_notices

    clock.advance(timedelta(hours=2, minutes=30))  # 8:30 AM in Los Angeles
    send_change_notices(deps)
    told = [(c, to) for c, to, _ in deps.notifier.sent]
    assert told == [("email", "priya.natarajan@example.com"), ("sms", "+12025550145")]
    assert deps.notifier.of("email")[0][2].subject.startswith("New time: your session on")
    stale = maya.post("/t/appointments/demomche02/mode", {"mode": "tele", "version": "1"})
    assert stale.status_code == 409 and "changed while the page was open" in text(stale)
    assert maya.post("/t/appointments/demomche02/mode",
                     {"mode": "tele", "version": str(after.version)}).status_code == 302
    assert store.get_appointment("demomche02").mode is Mode.TELE
    trail = store.audit_trail("demomche02")
    assert {(e.action, e.actor, e.via) for e in trail} >= {
        ("rescheduled", "therapist:mchen1", "workspace"), ("mode_switched", "therapist:mchen1", "workspace")}
    assert "Switched to video by you" in text(maya.get("/t/appointments/demomche02"))
    confirm = maya.post("/t/appointments/demomche05/confirm", {"version": "1"})
    assert confirm.status_code == 302 and store.get_appointment("demomche05").status is Status.CONFIRMED
    cancel = maya.post("/t/appointments/demomche09/cancel", {"version": "1", "barrier": "transport",
                                                             "note": "Car in the shop"})
    assert cancel.status_code == 302
    cancelled = store.get_appointment("demomche09")
    assert (cancelled.status, cancelled.barrier) == (Status.CANCELLED, Barrier.TRANSPORT)
    assert store.messages_of("demomche09") == []  # pending reminders withdrawn with it
    assert deps.notifier.of("email")[-1][2].subject.startswith("Cancelled: your session on")
    early = maya.post("/t/appointments/demomche00/attendance", {"status": "attended", "version": "1"})
    assert "Attendance can be marked once the session has started." in text(early)
    clock.advance(timedelta(days=1, hours=1))
    maya.login(MAYA)  # a day later: the earlier sign-in has expired
    marked = maya.post("/t/appointments/demomche00/attendance", {"status": "no_show", "version": "1"})
    assert marked.location == "/t/appointments/demomche00"
    assert store.get_appointment("demomche00").status is Status.NO_SHOW
    # And the client's next session is now flagged on the dashboard for that.
    dashboard = text(maya.get("/t/"))
    assert "Missed their last session, on Tue Mar 3" in dashboard


def test_inbox_items_are_marked_handled_by_post(maya, deps):
    deps.store.add_inbox(InboxItem("mchen1", T0 - timedelta(hours=1), "barrier", "cjord02", "demomche01",
                                   Barrier.ANXIETY, "Nervous about it", id="ib1"))
    page = text(maya.get("/t/"))
    assert "Nervous about it" in page and "Said this is in the way: feeling anxious" in page
    answer = maya.post("/t/inbox/ib1/handled", {"therapist": "mchen1"})
    assert answer.status_code == 302 and answer.location.endswith("#inbox")
    assert deps.store.inbox("mchen1")[0].handled
    assert "Said this is in the way: feeling anxious" not in text(maya.get("/t/"))
    assert maya.get("/t/inbox/ib1/handled").status_code == 405  # GET never changes anything


def test_practice_settings_are_validated_and_version_guarded(maya, deps):
    page = maya.get("/t/settings").get_data(as_text=True)
    assert 'value="Riverbend Counseling"' in page
    data = {"version": "1", "display_name": "Riverbend", "contact_phone": "+1 202-555-0100",
            "late_cancel_hours": "48", "min_notice_hours": "6", "booking_horizon_days": "21",
            "reminders-0-hours_before": "48", "reminders-0-channels": ["email"],
            "reminders-1-hours_before": "3", "reminders-1-channels": ["sms", "voice"],
            "reminders-2-hours_before": "", "quiet_start": "20:00", "quiet_end": "09:00",
            "cost_text": "Sliding scale.", "crisis_text": "Call or text 988.",
            "tele_link_template": "https://meet.example.org/rb-{appointment_id}"}
    bad = maya.post("/t/settings", dict(data, late_cancel_hours="a day", quiet_end="9am",
                                        tele_link_template="http://x", change_grace_minutes="45",
                                        **{"reminders-1-channels": []}))
    assert bad.status_code == 400
    for words in ("the late-cancel window as a whole number", "Use a time such as 09:00",
                  "the wait before confirming a change between 0 and 30",
                  "Use an https:// address", "Pick at least one way to send this reminder."):
        assert words in text(bad)
    assert 'name="change_grace_minutes"' in page
    assert maya.post("/t/settings", dict(data, change_grace_minutes="5")).status_code == 302
    saved = deps.store.get_settings()
    assert saved.change_grace_minutes == 5
    assert (saved.display_name, saved.late_cancel_hours, saved.booking_horizon_days) == ("Riverbend", 48, 21)
    assert [(r.hours_before, [c.value for c in r.channels]) for r in saved.reminder_schedule] == [
        (48, ["email"]), (3, ["sms", "voice"])]
    stale = maya.post("/t/settings", dict(data, display_name="Old tab"))
    assert stale.status_code == 409 and "changed by someone else" in text(stale)
    assert deps.store.get_settings().display_name == "Riverbend"


def test_non_admins_see_booking_rules_read_only_and_the_admin_edits_them(app, maya, deps):
    sam = Web(app)
    sam.login(SAM)
    page = sam.get("/t/availability").get_data(as_text=True)
    assert "Minimum notice: <strong>12 hours</strong>" in page and "booking-rules" not in page
    answer = maya.post("/t/availability/booking-rules", {"version": "1", "min_notice_hours": "24",
                                                         "booking_horizon_days": "60"})
    assert answer.status_code == 302
    assert (deps.store.get_settings().min_notice_hours, deps.store.get_settings().booking_horizon_days) == (24, 60)


def test_the_admin_adds_a_therapist_who_signs_in_with_the_temporary_password(app, maya, deps):
    answer = maya.post("/t/therapists", {"name": "Rae Kim", "email": "rae@riverbend.example",
                                         "timezone": "America/Chicago", "role": "therapist"})
    assert answer.status_code == 200
    password = answer.get_data(as_text=True).split('<code class="secret">', 1)[1].split("<", 1)[0]
    assert len(password) >= 12
    rae = Web(app)
    assert rae.login("rae@riverbend.example", password).location == "/t/"
    assert "Your week" in text(rae.get("/t/"))
    duplicate = maya.post("/t/therapists", {"name": "Rae", "email": "RAE@riverbend.example",
                                            "timezone": "America/Chicago", "role": "therapist"})
    assert duplicate.status_code == 400 and "already exists" in text(duplicate)


def test_the_admin_gives_a_colleague_a_new_temporary_password(app, maya):
    sam = Web(app)
    sam.login(SAM)
    answer = maya.post("/t/therapists/sokaf1/password")
    assert "Sam Okafor has a new temporary password" in text(answer)
    password = answer.get_data(as_text=True).split('<code class="secret">', 1)[1].split("<", 1)[0]
    assert sam.get("/t/").status_code == 302  # the old sign-in ends
    assert Web(app).login(SAM, password).location == "/t/"


def test_figures_page_and_csv(app, deps, clock):
    clock.advance(timedelta(days=3))
    maya = Web(app)
    maya.login(MAYA)
    for aid, status in (("demomche00", Status.ATTENDED), ("demomche01", Status.NO_SHOW)):
        ctx = deps.store.load_context(aid, deps.store.get_appointment(aid).client_id, "mchen1")
        booking.mark_attendance(deps, ctx, status, ctx.appointment.version, actor=Actor.system("test"))
    page = maya.get("/t/stats").get_data(as_text=True)
    assert page.count('role="img"') == 4 and "<title id=\"chart-rates-t\">" in page
    assert "Attended: 50% of 2 sessions due" in page  # the chart says what each rate counts
    csv_answer = maya.get("/t/stats.csv")
    assert csv_answer.mimetype == "text/csv" and "attachment" in csv_answer.headers["Content-Disposition"]
    assert "attendance,Practice,30,no_show_rate,0.500" in csv_answer.get_data(as_text=True)
