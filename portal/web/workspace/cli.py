"""`flask --app portal.wsgi import-clients FILE.csv` and `import-appointments FILE.csv`.

Rows are written in batches (an upcoming session in its own booking transaction), with a
progress bar and running counts; a bad row is reported with its line number and skipped.
Exit status: 0 when every row is in, 1 when some rows were skipped, 2 when the file can't
be read, 3 when AWS stayed busy (what was written stays; running it again adds the rest).
"""
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

PROGRESS_EVERY = 5.0  # seconds between progress lines when stderr is not a terminal


def _counts(report) -> str:
    return f"added {report.created}, already there {report.existing}, skipped {len(report.skipped)}"


class _Progress:
    """A bar with running counts on a terminal; a line every few seconds in a log."""

    def __init__(self, total: int, noun: str, report):
        self.total, self.report = total, report
        self.tty = sys.stderr.isatty()
        self.bar = click.progressbar(length=total, label=f"Importing {total} {noun}", file=sys.stderr,
                                     show_pos=True, item_show_func=lambda _: _counts(report))
        self.last_line = time.monotonic()

    def __enter__(self):
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)

    def step(self):
        self.bar.update(1, current_item=True)
        if not self.tty and time.monotonic() - self.last_line >= PROGRESS_EVERY:
            self.last_line = time.monotonic()
            click.echo(f"  {self.report.done} of {self.total} rows: {_counts(self.report)}", err=True)


def _run(file, required, import_rows, noun):
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
def import_clients(file):
    """Import clients from a CSV file (columns in the README)."""
    from portal.services.workspace.importer import CLIENT_REQUIRED, Importer

    importer = Importer(current_app.extensions["attune"].deps)
    _run(file, CLIENT_REQUIRED, importer.import_clients, "clients")


@click.command("import-appointments")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_appointments(file):
    """Import sessions from a CSV file (columns in the README); import the clients first."""
    from portal.services.workspace.importer import APPOINTMENT_REQUIRED, Importer

    importer = Importer(current_app.extensions["attune"].deps)
    _run(file, APPOINTMENT_REQUIRED, importer.import_appointments, "appointments")
