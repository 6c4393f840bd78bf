"""Every read of client data leaves one line in the client's access log; the admin reads the
log newest first, a page at a time; the export is one ZIP and is itself audited."""
import io
import json
import zipfile
from datetime import timedelta

from portal.domain.privacy import truncate_ip
from portal.services.privacy import access_log
from portal.services.privacy.export import export_client
from tests.privacy_support import SENTINELS, erasable_client
from tests.workspace_support import MAYA, SAM, Web, app_on, seeded


def _log(deps, client_id):
    return deps.store.whole_access_log(client_id)


def test_each_client_page_and_session_page_writes_one_access_event(deps, clock):
    seeded(deps)
    web = Web(app_on(deps), remote_addr="203.0.113.77")
    web.login(SAM)
    client = deps.store.list_clients("sokaf1")[0]
    session = deps.store.all_client_sessions(client.id)[0]
    assert web.get(f"/t/clients/{client.id}").status_code == 200
    clock.advance(timedelta(seconds=5))
    assert web.get(f"/t/appointments/{session.id}").status_code == 200
    events = _log(deps, client.id)
    assert [(e.what, e.viewer_id, e.ref, e.ip) for e in events] == [
        ("appointment", "sokaf1", session.id, "203.0.113.0"), ("client", "sokaf1", "", "203.0.113.0")]
    assert events[0].at == deps.clock.now()


def test_a_page_refused_as_not_yours_writes_nothing(deps):
    seeded(deps)
    web = Web(app_on(deps))
    web.login(SAM)
    assert web.get("/t/clients/calex01").status_code == 404  # Maya's client
    assert _log(deps, "calex01") == []


def test_ips_are_kept_as_their_network_only():
    assert truncate_ip("203.0.113.77") == "203.0.113.0"
    assert truncate_ip("2001:db8:abcd:12:1:2:3:4") == "2001:db8:abcd::"
    assert truncate_ip("not an address") == "" and truncate_ip(None) == ""


def test_the_admin_reads_the_log_newest_first_in_pages(deps, clock):
    seeded(deps)
    for _ in range(access_log.PAGE_SIZE + 5):
        access_log.record(deps, "sokaf1", "calex01", "client", "198.51.100.9")
        clock.advance(timedelta(minutes=1))
    web = Web(app_on(deps))
    web.login(MAYA)
    first = access_log.page(deps, deps.store.get_therapist("mchen1"), deps.store.get_client("calex01"))
    assert len(first.events) == access_log.PAGE_SIZE and first.older
    assert [e.at for e in first.events] == sorted((e.at for e in first.events), reverse=True)
    second = access_log.page(deps, deps.store.get_therapist("mchen1"), deps.store.get_client("calex01"),
                             first.older)
    assert len(second.events) == 5 and not second.older
    assert max(e.at for e in second.events) < min(e.at for e in first.events)
    page = web.get("/t/clients/calex01/access-log")
    shown = page.get_data(as_text=True)
    assert page.status_code == 200 and "Sam" in shown and "Older entries" in shown
    assert web.get(f"/t/clients/calex01/access-log?older={first.older}").status_code == 200
    assert web.get("/t/clients/calex01/access-log?older=" + "x" * 500).status_code == 200
    assert access_log.page(deps, deps.store.get_therapist("sokaf1"), deps.store.get_client("calex01")) is None


def test_the_export_zip_holds_every_table_as_json_and_csv_and_a_summary(deps):
    seeded(deps)
    client, ahead = erasable_client(deps)
    made = export_client(deps, client.id, "mchen1", "198.51.100.1")
    archive = zipfile.ZipFile(io.BytesIO(made.data))
    names = set(archive.namelist())
    for table in ("client", "sessions", "session_history", "notes_and_barriers", "checkins", "messages",
                  "access_log"):
        assert {f"{table}.json", f"{table}.csv"} <= names
    assert "summary.html" in names
    sessions = json.loads(archive.read("sessions.json"))
    assert len(sessions) == made.sessions == 6 + len(ahead)
    assert any(SENTINELS["note"] in (s.get("note") or "") for s in sessions)
    assert json.loads(archive.read("checkins.json"))[0]["note"] == SENTINELS["checkin"]
    assert json.loads(archive.read("notes_and_barriers.json"))[0]["text"] == SENTINELS["inbox"]
    assert json.loads(archive.read("messages.json"))  # the reminders of the sessions ahead
    assert json.loads(archive.read("access_log.json"))[0]["what"] == "export"  # audited first
    assert "password_hash" not in archive.read("client.json").decode()
    assert SENTINELS["first"] in archive.read("summary.html").decode()


def test_the_admin_downloads_the_export_with_no_store(deps):
    seeded(deps)
    web = Web(app_on(deps))
    web.login(MAYA)
    web.get("/t/clients/calex01")
    answer = web.post("/t/clients/calex01/export")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    assert answer.headers["Cache-Control"] == "no-store"
    assert zipfile.ZipFile(io.BytesIO(answer.data)).testzip() is None
    assert sorted(e.what for e in _log(deps, "calex01")) == ["client", "export"]


def test_every_response_with_client_data_is_no_store(deps):
    """HTML pages, the calendar file, the figures CSV: nothing a client's data is in is cached."""
    seeded(deps)
    app = app_on(deps)
    web = Web(app)
    web.login(MAYA)
    upcoming = [a for a in deps.store.all_client_sessions("calex01") if a.start > deps.clock.now()][0]
    token = deps.links.token(upcoming)
    answers = [web.get("/t/clients/calex01"), web.get("/t/stats.csv"), web.get(f"/a/{token}"),
               app.test_client().get(f"/a/{token}/calendar.ics")]
    assert answers[-1].mimetype == "text/calendar"
    for answer in answers:
        assert answer.status_code == 200, answer.request.path
        assert answer.headers["Cache-Control"] == "no-store", answer.request.path
