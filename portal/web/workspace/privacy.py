"""A client's privacy, for the practice admin: who opened the record (the access log), the
client's data as one ZIP, and erasure on request. Everyone else gets a 404 here.

``audit_read`` is how every workspace view that shows a client's data leaves its line in the
access log (one PutItem)."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.services.privacy import access_log
from portal.services.privacy.erasure import ErasureRefused, erase_client
from portal.services.privacy.export import export_client
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.common import admin_required, me, own_client


def audit_read(what: str, client_id: str, ref: str = "") -> None:
    access_log.record(deps(), me().id, client_id, what, request.remote_addr, ref)


@bp.get("/clients/<client_id>/access-log")
@admin_required
def access_log_page(client_id: str) -> ResponseReturnValue:
    client = own_client(client_id)
    view = access_log.page(deps(), me(), client, request.args.get("older", ""))
    return render_template("workspace/access_log.html", client=client, log=view)


@bp.post("/clients/<client_id>/export")
@admin_required
def export(client_id: str) -> ResponseReturnValue:
    client = own_client(client_id)
    made = export_client(deps(), client.id, me().id, request.remote_addr)
    return Response(made.data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"', "Cache-Control": "no-store"})


def _erase_page(client, problem=None, status=200):
    return render_template("workspace/erase.html", client=client, problem=problem), status


@bp.route("/clients/<client_id>/erase", methods=["GET", "POST"])
@admin_required
def erase(client_id: str) -> ResponseReturnValue:
    client = own_client(client_id)
    if request.method != "POST":  # HEAD is a GET: it shows the form and erases nothing
        return _erase_page(client)
    typed = request.form.get("confirm_name", "")[:200]
    try:
        erase_client(deps(), client.id, me().id, request.remote_addr, confirmation=typed)
    except ErasureRefused as problem:
        return _erase_page(client, str(problem), 400)
    flash("The client's data is erased. Their sessions stay in the figures without a name.", "info")
    return redirect(url_for("workspace.client", client_id=client.id))
