"""Issue 18 item 11: the CSV import finds the running local stack (it failed with "SECRET_KEY is
not set" as the README gave it). `make run` writes where it is; `make import-clients` reads it."""
import pytest

from devstack import cli, stackfile

CLIENTS = b"first_name,last_name,email,phone,therapist_email,timezone\n" \
          b"Ana,Ruiz,ana@example.com,,maya@riverbend.example,America/New_York\n"


@pytest.fixture
def stack_file(tmp_path, monkeypatch):
    monkeypatch.setattr(stackfile, "STACK_FILE", tmp_path / ".local-stack.json")
    for key in stackfile.KEYS + ("SECRET_KEY",):  # the command sets these: each test puts them back
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    return tmp_path / ".local-stack.json"


def test_without_a_running_stack_the_import_says_how_to_start_one(stack_file, tmp_path, capsys):
    path = tmp_path / "clients.csv"
    path.write_bytes(CLIENTS)
    assert cli.main(["import-clients", str(path)]) == 2
    assert "Start it with `make run` in another terminal" in capsys.readouterr().err


def test_the_import_writes_into_the_stack_make_run_wrote_down(stack_file, tmp_path, aws, monkeypatch):
    from devstack.seed import seed_demo

    seed_demo(aws.deps, "demo-password-123")
    environ = {"PORTAL_ENV": "dev", "AWS_ENDPOINT_URL": aws.config.endpoint_url, "AWS_REGION": aws.config.region}
    stackfile.write(environ, aws.config.table_name)
    assert "SECRET" not in stack_file.read_text()
    path = tmp_path / "clients.csv"
    path.write_bytes(CLIENTS)
    assert cli.main(["import-clients", str(path)]) == 0
    assert [c.first_name for c in aws.store.clients_by_email("ana@example.com")] == ["Ana"]
