"""`flask --app portal.wsgi import-clients FILE.csv` and `import-appointments FILE.csv`.

Each row is imported on its own (one conditional write or one transaction), with a
progress bar; a bad row is reported with its line number and skipped. Exit status:
0 when every row is in, 1 when some rows were skipped, 2 when the file can't be read.
"""
import sys

import click
from flask import current_app
from flask.cli import with_appcontext


def _run(file, required, import_row, noun):
    from portal.services.importer import ImportProblem, ImportReport, read_rows

    try:
        rows = read_rows(file.read(), required)
    except ImportProblem as problem:
        click.echo(f"{file.name}: {problem}", err=True)
        sys.exit(2)
    report = ImportReport()
    with click.progressbar(rows, label=f"Importing {len(rows)} {noun}", file=sys.stderr,
                           show_pos=True) as bar:
        for row in bar:
            outcome, reason = import_row(row)
            report.record(row.line, outcome, reason)
    for line, reason in report.skipped:
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
    from portal.services.importer import CLIENT_REQUIRED, Importer

    importer = Importer(current_app.extensions["attune"].deps)
    _run(file, CLIENT_REQUIRED, importer.client_row, "clients")


@click.command("import-appointments")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_appointments(file):
    """Import sessions from a CSV file (columns in the README); import the clients first."""
    from portal.services.importer import APPOINTMENT_REQUIRED, Importer

    importer = Importer(current_app.extensions["attune"].deps)
    _run(file, APPOINTMENT_REQUIRED, importer.appointment_row, "appointments")
