"""The waitlist in the workspace: a therapist adds any client (one with no session yet too)
or takes them off, from the client page. The dashboard, the client page and the session page
show the list and each freed time's story through small includes
(``templates/workspace/_waitlist.html``, ``_client_waitlist.html``, ``_slot_story.html``)."""
from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from portal.domain.errors import DomainError
from portal.services.waitlist import entries
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.common import me, own_client


@bp.post("/clients/<client_id>/waitlist")
def waitlist_add(client_id: str) -> ResponseReturnValue:
    client = own_client(client_id)
    if FlaskForm().validate():
        try:
            entries.add_by_therapist(deps(), client.therapist_id, client)
            flash(f"{client.first_name} is on the waitlist: freed times that fit go to them.", "info")
        except DomainError as problem:
            flash(str(problem), "error")
    return redirect(url_for("workspace.client", client_id=client.id))


@bp.post("/clients/<client_id>/waitlist/leave")
def waitlist_remove(client_id: str) -> ResponseReturnValue:
    client = own_client(client_id)
    if FlaskForm().validate():
        entries.leave(deps(), client.id)
        flash(f"{client.first_name} is off the entries.", "info")
    return redirect(url_for("workspace.client", client_id=client.id))


@bp.context_processor
def waitlist_views():
    """Read-only helpers for the includes; each is one or two reads, made only when shown."""
    return {
        "waitlist_entry_of": lambda client_id: entries.entry_for(deps(), client_id),
        "waitlist_of": lambda therapist_id: entries.therapist_waitlist(deps(), therapist_id),
        "slot_story_of": lambda appointment: entries.slot_story(deps(), appointment),
        "waitlist_figures": lambda: entries.figures_for(deps(), me()),
    }
