"""`flask --app portal.wsgi export-client <client-id>` and `erase-client <client-id>`.

Both are audited as made by "cli". Exit status: 0 done, 1 refused (unknown client, already
erased, confirmation not given), with the reason in plain words.
"""
import sys

import click
from flask import current_app
from flask.cli import with_appcontext


def _deps():
    return current_app.extensions["attune"].deps


@click.command("export-client")
@click.argument("client_id")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Where to write the ZIP (default: client-<id>-<time>.zip here).")
@with_appcontext
def export_client_command(client_id, out):
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
def erase_client_command(client_id, yes):
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
