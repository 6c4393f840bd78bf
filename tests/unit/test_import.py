"""CSV import through the real `flask import-clients` / `import-appointments` commands."""
from datetime import datetime, timezone

import pytest

from portal.domain.model import Channel, Mode, Status
from portal.services.importer import stable_id
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
