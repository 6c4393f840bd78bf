"""The flask commands, registered by ``create_app`` (``init_app``):

- `flask --app portal.wsgi import-clients FILE.csv` and `import-appointments FILE.csv`.
- `flask --app portal.wsgi export-client <client-id>` and `erase-client <client-id>`.

Imports: rows are written in batches (an upcoming session in its own booking transaction), with a
progress bar and running counts; a bad row is reported with its line number and skipped.
Exit status: 0 when every row is in, 1 when some rows were skipped, 2 when the file can't
be read, 3 when AWS stayed busy (what was written stays; running it again adds the rest).

Export and erasure are audited as made by "cli". Exit status: 0 done, 1 refused (unknown
client, already erased, confirmation not given), with the reason in plain words.
"""
from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

import click
from flask import current_app
from flask.cli import with_appcontext

if TYPE_CHECKING:
    from flask import Flask

    from portal.interfaces import Deps

PROGRESS_EVERY = 5.0  # seconds between progress lines when stderr is not a terminal


def init_app(app: Flask) -> None:
    for command in (import_clients, import_appointments, export_client_command, erase_client_command):
        app.cli.add_command(command)


def _deps() -> Deps:
    return current_app.extensions["attune"].deps


def _counts(report: Any) -> str:
    return f"added {report.created}, already there {report.existing}, skipped {len(report.skipped)}"


class _Progress:
    """A bar with running counts on a terminal; a line every few seconds in a log."""

    def __init__(self, total: int, noun: str, report: Any) -> None:
        self.total, self.report = total, report
        self.tty = sys.stderr.isatty()
        self.bar: Any = click.progressbar(length=total, label=f"Importing {total} {noun}", file=sys.stderr,
                                     show_pos=True, item_show_func=lambda _: _counts(report))
        self.last_line = time.monotonic()

    def __enter__(self) -> _Progress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        return self.bar.__exit__(*exc)

    def step(self) -> None:
        self.bar.update(1, current_item=True)
        if not self.tty and time.monotonic() - self.last_line >= PROGRESS_EVERY:
            self.last_line = time.monotonic()
            click.echo(f"  {self.report.done} of {self.total} rows: {_counts(self.report)}", err=True)


def _run(file: Any, required: Any, import_rows: Any, noun: str) -> None:
    # The services each command needs are imported when it runs: the web app and the
    # scheduled functions register these commands on every start and never use them.
    from portal.domain.errors import ServiceBusy
    from portal.services.workspace.importer import ImportProblem, ImportReport, read_rows

    try:
        rows = read_rows(file.read(), required)
    except ImportProblem as problem:
        click.echo(f"{file.name}: {problem}", err=True)
        sys.exit(2)
    report = ImportReport()
    try:
        with _Progress(len(rows), noun, report) as progress:
            for row, outcome, reason in import_rows(rows):
                report.record(row.line, outcome, reason)
                progress.step()
    except ServiceBusy:
        click.echo(f"\nAWS is busy right now, so the import stopped after {report.done} rows "
                   f"({_counts(report)}). What was written stays: run the same command again "
                   "in a few minutes and it adds the rest, nothing twice.", err=True)
        sys.exit(3)
    for line, reason in sorted(report.skipped):
        click.echo(f"line {line}: skipped: {reason}", err=True)
    click.echo(f"{noun.capitalize()}: {report.created} imported, {report.existing} already there, "
               f"{len(report.skipped)} skipped.")
    if report.skipped:
        sys.exit(1)


@click.command("import-clients")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_clients(file: Any) -> None:
    """Import clients from a CSV file (columns in the README)."""
    from portal.services.workspace.importer import CLIENT_REQUIRED, Importer

    importer = Importer(_deps())
    _run(file, CLIENT_REQUIRED, importer.import_clients, "clients")


@click.command("import-appointments")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_appointments(file: Any) -> None:
    """Import sessions from a CSV file (columns in the README); import the clients first."""
    from portal.services.workspace.importer import APPOINTMENT_REQUIRED, Importer

    importer = Importer(_deps())
    _run(file, APPOINTMENT_REQUIRED, importer.import_appointments, "appointments")


# --- privacy: one client's export and erasure ---------------------------------------------
@click.command("export-client")
@click.argument("client_id")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Where to write the ZIP (default: client-<id>-<time>.zip here).")
@with_appcontext
def export_client_command(client_id: str, out: str | None) -> None:
    """Write one client's data (record, sessions, check-ins, messages, access log) as a ZIP."""
    from portal.domain.errors import NotFound
    from portal.services.privacy.export import export_client

    try:
        made = export_client(_deps(), client_id[:64], "cli")
    except NotFound as problem:
        click.echo(str(problem), err=True)
        sys.exit(1)
    path = out or made.filename
    with open(path, "wb") as target:
        target.write(made.data)
    click.echo(f"Wrote {path}: {made.sessions} sessions.")


@click.command("erase-client")
@click.argument("client_id")
@click.option("--yes", is_flag=True, help="Don't ask for the client's first name.")
@with_appcontext
def erase_client_command(client_id: str, yes: bool) -> None:
    """Erase one client's identifying data; sessions stay, de-identified, for the figures."""
    from portal.services.privacy.erasure import ErasureRefused, erase_client

    deps = _deps()
    client = deps.store.get_client(client_id[:64])
    typed = None
    if client is not None and not client.erased and not yes:
        typed = click.prompt(f"Type the client's first name ({client.first_name}) to erase their data")
    try:
        done = erase_client(deps, client_id[:64], "cli", confirmation=typed)
    except ErasureRefused as problem:
        click.echo(str(problem), err=True)
        sys.exit(1)
    click.echo(f"Erased {done.client_id}: {done.cancelled} future sessions cancelled, "
               f"{done.sessions} sessions kept without a name.")
