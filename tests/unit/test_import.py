"""CSV import through the real `flask import-clients` / `import-appointments` commands."""
from datetime import datetime, timezone

import pytest

from portal.domain.model import Channel, Mode, Status
from portal.services.workspace.importer import stable_id
from tests import builders

CLIENTS = """therapist_email,first_name,last_name,email,phone,timezone,channels,sms_consent
ther01@practice.test,Jo,Park,jo.park@example.com,(202) 555-0199,America/Chicago,email;sms,yes
ther01@practice.test,Lee,Ng,lee@,,America/New_York,email,no

nobody@practice.test,Max,Roe,max@example.com,,America/New_York,email,no
ther01@practice.test,Ana,Diaz,ana@example.com,+44 20 7946 0958,Europe/London,sms voice,maybe
ther01@practice.test,Ana,Diaz,ana@example.com,+44 20 7946 0958,Europe/London,sms voice,yes
ther01@practice.test,Kai,,kai@example.com,,Moon/Base,,
"""

APPOINTMENTS = """therapist_email,client_email,start,mode,location,status
ther01@practice.test,jo.park@example.com,2026-03-10 10:00,in person,Suite 2,
ther01@practice.test,ana@example.com,2026-03-10T15:30:00Z,video,,confirmed
ther01@practice.test,ana@example.com,2026-03-10 10:20,tele,,
ther01@practice.test,who@example.com,2026-03-11 10:00,tele,,
ther01@practice.test,jo.park@example.com,2026-03-12 10:00,bicycle,,
ther01@practice.test,jo.park@example.com,next tuesday,tele,,
ther01@practice.test,jo.park@example.com,2026-02-20 10:00,in_person,,attended
"""


@pytest.fixture
def cli(app, store, tmp_path):
    builders.practice(store)
    runner = app.test_cli_runner(mix_stderr=False) if _mixes() else app.test_cli_runner()

    def run(command, content, name="data.csv"):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return runner.invoke(args=[command, str(path)])
    return run


def _mixes():
    import inspect

    from click.testing import CliRunner

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


def test_clients_import_reports_bad_rows_by_line_and_skips_them(cli, store):
    done = cli("import-clients", CLIENTS)
    assert done.exit_code == 1  # some rows were skipped
    assert "Clients: 2 imported, 0 already there, 4 skipped." in done.stdout
    errors = done.stderr
    assert "line 3: skipped: email: That doesn't look like an email address" in errors
    assert "line 5: skipped: No therapist signs in as 'nobody@practice.test'." in errors
    assert "line 6: skipped: sms_consent: write yes or no, not 'maybe'." in errors
    assert "line 8: skipped: timezone: 'Moon/Base' is not a time zone we know" in errors
    clients = {c.email: c for c in store.list_clients("ther01")}
    assert set(clients) == {"alex@example.com", "jo.park@example.com", "ana@example.com"}
    ana = clients["ana@example.com"]
    assert (ana.phone, ana.channels, ana.sms_consent) == ("+442079460958", (Channel.SMS, Channel.VOICE), True)
    assert ana.id == stable_id("i", "ther01@practice.test", "ana@example.com")


def test_importing_the_same_clients_twice_creates_nothing_twice(cli, store):
    cli("import-clients", CLIENTS)
    again = cli("import-clients", CLIENTS)
    assert "Clients: 0 imported, 2 already there, 4 skipped." in again.stdout
    assert len(store.list_clients("ther01")) == 3


def test_appointments_import_books_through_the_booking_service(cli, store):
    cli("import-clients", CLIENTS)
    done = cli("import-appointments", APPOINTMENTS)
    assert "Appointments: 3 imported, 0 already there, 4 skipped." in done.stdout
    errors = done.stderr
    assert "line 4: skipped: That time overlaps another session of this therapist." in errors
    assert "line 5: skipped: Maya Chen has no client with the email 'who@example.com'." in errors
    assert "line 6: skipped: mode: 'bicycle' is not one of in_person or tele." in errors
    assert "line 7: skipped: start: 'next tuesday' is not a date and time" in errors
    found = store.therapist_appointments("ther01", datetime(2026, 2, 1, tzinfo=timezone.utc),
                                         datetime(2026, 4, 1, tzinfo=timezone.utc))
    by_start = {a.start: a for a in found}
    # 10:00 in New York on 10 March (after the clock change) is 14:00Z.
    jo = by_start[datetime(2026, 3, 10, 14, 0, tzinfo=timezone.utc)]
    assert (jo.mode, jo.location, jo.status) == (Mode.IN_PERSON, "Suite 2", Status.SCHEDULED)
    assert by_start[datetime(2026, 3, 10, 15, 30, tzinfo=timezone.utc)].status is Status.CONFIRMED
    assert by_start[datetime(2026, 2, 20, 15, 0, tzinfo=timezone.utc)].status is Status.ATTENDED
    assert store.messages_of(jo.id)  # reminders were planned, as for any booking
    assert store.audit_trail(jo.id)[0].via == "import"
    # The overlapping row left nothing behind: no session and no claimed time.
    ana = next(c for c in store.list_clients("ther01") if c.email == "ana@example.com")
    overlapping = stable_id("i", "ther01@practice.test", ana.email, "2026-03-10T14:20:00Z")
    assert store.get_appointment(overlapping) is None
    assert len(found) == 3


def test_importing_the_same_appointments_twice_creates_nothing_twice(cli, store):
    cli("import-clients", CLIENTS)
    cli("import-appointments", APPOINTMENTS)
    again = cli("import-appointments", APPOINTMENTS)
    assert "Appointments: 0 imported, 3 already there, 4 skipped." in again.stdout
    window = (datetime(2026, 2, 1, tzinfo=timezone.utc), datetime(2026, 4, 1, tzinfo=timezone.utc))
    assert len(store.therapist_appointments("ther01", *window)) == 3


def test_a_file_that_cannot_be_read_is_refused_whole(cli, store):
    missing = cli("import-clients", "first_name,email\nJo,jo@example.com\n")
    assert missing.exit_code == 2
    assert "missing: therapist_email, timezone" in missing.stderr
    latin = cli("import-clients", "therapist_email,first_name,timezone\nx,Jos\xe9,UTC\n".encode("latin-1"))
    assert latin.exit_code == 2 and "isn't UTF-8" in latin.stderr
    assert len(store.list_clients("ther01")) == 1


def test_a_spreadsheet_export_with_a_byte_order_mark_and_odd_header_case_imports(cli, store):
    content = "\ufeffTherapist_Email,First_Name,Timezone,Email\nther01@practice.test,Rin,Asia/Tokyo,rin@example.com\n"
    done = cli("import-clients", content)
    assert done.exit_code == 0, done.stderr
    assert "1 imported" in done.stdout
    assert any(c.first_name == "Rin" for c in store.list_clients("ther01"))


# --- whatever is in the file: a line and a reason, never a traceback ---------------------------
HEADER = "therapist_email,first_name,last_name,email,phone,timezone,channels,sms_consent\n"
GOOD = "ther01@practice.test,Rin,,rin@example.com,,Asia/Tokyo,email,no\n"


def test_a_cell_past_the_csv_limit_is_reported_by_line_and_the_rest_imports(cli, store):
    huge = "ther01@practice.test,\"" + "x" * 200_000 + "\",,,,UTC,email,no\n"
    done = cli("import-clients", HEADER + huge + GOOD)
    assert done.exit_code == 1, done.stderr
    assert "line 2: skipped: this line can't be read as CSV (field larger than field limit" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "1 imported, 0 already there, 1 skipped" in done.stdout
    assert any(c.first_name == "Rin" for c in store.list_clients("ther01"))


@pytest.mark.parametrize("cell, reason", [
    ("x" * 600, "first_name: 600 characters is too long (at most 500)"),
    ("Jo\x01\x02", "first_name: holds a line break or characters that aren't text."),
    ("Jo\nstill the same cell", "first_name: holds a line break or characters that aren't text."),
])
def test_a_cell_that_is_not_a_name_is_skipped_with_its_reason(cli, store, cell, reason):
    line = f'ther01@practice.test,"{cell}",,jo2@example.com,,UTC,email,no\n'
    done = cli("import-clients", HEADER + line + GOOD)
    assert f"skipped: {reason}" in done.stderr
    assert "1 imported" in done.stdout
    assert not any(c.email == "jo2@example.com" for c in store.list_clients("ther01"))


@pytest.mark.parametrize("content, message", [
    (b"", "The file is empty"),
    (b"\n\n  \n", "The file is empty"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "This isn't CSV text"),
    (b"name,age\nJo,3\n", "missing: therapist_email, first_name, timezone"),
    (HEADER.encode() + b"ther01@practice.test,Jo\xff\xfe,,,,UTC,,\n", "line 2: the file isn't UTF-8"),
])
def test_a_file_that_cannot_be_read_says_why_in_one_line(cli, store, content, message):
    done = cli("import-clients", content)
    assert done.exit_code == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(store.list_clients("ther01")) == 1  # the practice's own client, nothing more


def test_a_utf16_export_from_a_spreadsheet_imports(cli, store):
    done = cli("import-clients", (HEADER + GOOD).encode("utf-16"))
    assert done.exit_code == 0, done.stderr
    assert any(c.first_name == "Rin" for c in store.list_clients("ther01"))


@pytest.mark.parametrize("start", ["9999-12-31 17:00", "0001-01-01 09:00", "9999-12-31T23:55:00Z",
                                   "2015-01-05 10:00", "2028-06-01 10:00"])
def test_a_start_outside_the_window_is_reported_by_line_and_skipped(cli, store, start):
    cli("import-clients", CLIENTS)
    content = ("therapist_email,client_email,start,mode\n"
               f"ther01@practice.test,jo.park@example.com,{start},tele\n"
               "ther01@practice.test,jo.park@example.com,2026-03-12 10:00,tele\n")
    done = cli("import-appointments", content)
    assert done.exit_code == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"line 2: skipped: start: '{start}' is out of range" in done.stderr or \
        f"line 2: skipped: start: '{start}' is not a date and time" in done.stderr
    assert "1 imported" in done.stdout


def test_a_session_still_to_come_cannot_be_imported_as_attended(cli, store):
    cli("import-clients", CLIENTS)
    content = ("therapist_email,client_email,start,mode,status\n"
               "ther01@practice.test,jo.park@example.com,2026-03-12 10:00,tele,attended\n")
    done = cli("import-appointments", content)
    assert "line 2: skipped: status: a session that hasn't ended can't be attended." in done.stderr


def test_past_sessions_are_history_claiming_no_time(cli, store):
    cli("import-clients", CLIENTS)
    cli("import-appointments", APPOINTMENTS)
    past = stable_id("i", "ther01@practice.test", "jo.park@example.com", "2026-02-20T15:00:00Z")
    session = store.get_appointment(past)
    assert session.status is Status.ATTENDED
    assert store.audit_trail(past)[0].action == "imported"
    assert not store.messages_of(past)  # no reminders for the past
    # No time claimed: a session may still be recorded at that time (the past is never offered).
    assert not store.table.query("SLOT#ther01", begins="")


def test_a_reimport_leaves_a_clients_stop_as_it_was(cli, store):
    cli("import-clients", CLIENTS)
    jo = next(c for c in store.list_clients("ther01") if c.email == "jo.park@example.com")
    store.set_client_flags(jo.id, sms_opted_out=True)
    again = cli("import-clients", CLIENTS)
    assert "0 imported, 2 already there" in again.stdout
    assert store.get_client(jo.id).sms_opted_out is True


def test_progress_shows_running_counts_while_it_runs(cli, store, monkeypatch):
    from portal import cli as cli_module

    monkeypatch.setattr(cli_module, "PROGRESS_EVERY", 0.0)  # a line per row, as a log would show
    rows = "".join(f"ther01@practice.test,P{n},,p{n}@example.com,,UTC,email,no\n" for n in range(30))
    done = cli("import-clients", HEADER + rows + "nobody@practice.test,X,,x@example.com,,UTC,,\n")
    progress = [line for line in done.stderr.splitlines() if " rows: added " in line]
    assert progress[0].strip() == "1 of 31 rows: added 1, already there 0, skipped 0"
    assert progress[-1].strip() == "31 of 31 rows: added 30, already there 0, skipped 1"
    assert "Clients: 30 imported, 0 already there, 1 skipped." in done.stdout
