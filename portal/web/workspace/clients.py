"""Clients: the list, add and edit, and booking sessions (one, or a weekly series)."""
import zoneinfo
from functools import lru_cache

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.domain import wording
from portal.domain.errors import DomainError
from portal.domain.model import Mode
from portal.services.sessions import on_behalf
from portal.services.workspace import pages
from portal.services.workspace.clients import add_client, update_client
from portal.services.workspace.inputs import FormErrors, parse_start
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.common import (
    client_therapist,
    me,
    own_client,
    subject_therapist,
    therapists_for_picker,
)
from portal.web.workspace.forms import BookForm, ClientForm, apply_errors, capped
from portal.web.workspace.privacy import audit_read


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    regions = ("America/", "Europe/", "Asia/", "Africa/", "Australia/", "Pacific/", "Atlantic/", "Indian/")
    return tuple(sorted(z for z in zoneinfo.available_timezones() if z.startswith(regions)))


@bp.get("/clients")
def clients() -> ResponseReturnValue:
    therapist = subject_therapist()
    listing = pages.client_list(deps(), therapist)
    return render_template("workspace/clients.html", therapist=therapist, clients=listing,
                           therapists=therapists_for_picker())


def _client_page(form, therapist, client=None, general=(), status=200):
    return render_template("workspace/client_form.html", form=form, therapist=therapist,
                           client=client, zones=zone_names(), general=list(general)), status


@bp.route("/clients/new", methods=["GET", "POST"])
@capped(ClientForm)
def new_client() -> ResponseReturnValue:
    therapist = subject_therapist(request.form.get("therapist"))
    form = ClientForm(data={"timezone": therapist.timezone, "channels": ["email"]})
    if request.method == "POST":  # HEAD is a GET: it shows the form and saves nothing
        return _add_client(form, therapist)
    return _client_page(form, therapist)


def _add_client(form, therapist):
    try:
        client = add_client(deps(), therapist, _client_values(form))
    except FormErrors as problems:
        return _client_page(form, therapist, None, _summary(form, problems), 400)
    flash(f"{client.first_name} is added. You can book a first session below.", "info")
    return redirect(url_for("workspace.client", client_id=client.id))


def _summary(form, problems) -> list[str]:
    return apply_errors(form, problems.fields) or ["Nothing was saved yet: please check the marked fields."]


def _client_values(form) -> dict:
    return {name: form[name].data for name in form._fields if name != "csrf_token"}


@bp.route("/clients/<client_id>/edit", methods=["GET", "POST"])
@capped(ClientForm)
def edit_client(client_id: str) -> ResponseReturnValue:
    current = own_client(client_id)
    therapist = client_therapist(current)
    form = ClientForm(data={
        "first_name": current.first_name, "last_name": current.last_name, "email": current.email,
        "phone": current.phone, "timezone": current.timezone,
        "channels": [c.value for c in current.channels], "sms_consent": current.sms_consent})
    if request.method == "POST":  # HEAD is a GET: it shows the form and saves nothing
        return _save_client(form, therapist, current)
    return _client_page(form, therapist, current)


def _save_client(form, therapist, current):
    try:
        update_client(deps(), current, _client_values(form))
    except FormErrors as problems:
        return _client_page(form, therapist, current, _summary(form, problems), 400)
    except DomainError as problem:
        return _client_page(form, therapist, current, [str(problem)], 400)
    flash("Saved.", "info")
    return redirect(url_for("workspace.client", client_id=current.id))


def _client_view(client, form=None, general=(), status=200, series=None):
    therapist = client_therapist(client)
    view = pages.client_page(deps(), client, therapist, me())
    form = form or BookForm(data={"mode": Mode.IN_PERSON.value, "repeat": "0", "count": "6"})
    return render_template("workspace/client.html", client=client, therapist=therapist,
                           sessions=view.sessions, now=view.now,
                           slot_days=view.slot_days, form=form, general=list(general),
                           series=series), status


@bp.get("/clients/<client_id>")
def client(client_id: str) -> ResponseReturnValue:
    found = own_client(client_id)
    audit_read("client", found.id)
    return _client_view(found)


@bp.post("/clients/<client_id>/book")
@capped(BookForm)
def book(client_id: str) -> ResponseReturnValue:
    client = own_client(client_id)
    therapist = client_therapist(client)
    form = BookForm()
    try:
        start = parse_start(form.start.data, deps().clock.now())
        mode = Mode(form.mode.data)
    except ValueError as problem:  # ValidationError too
        message = str(problem) if isinstance(problem, DomainError) else "Pick in person or video."
        return _client_view(client, form, [message], 400)
    location = (form.location.data or "").strip()[:200]
    if form.repeat.data in ("1", "2"):
        return _book_series(client, therapist, form, start, mode, location)
    try:
        on_behalf.book(deps(), therapist, client, start, mode, me(), location)
    except DomainError as problem:
        return _client_view(client, form, [str(problem)], 409)
    flash(f"Booked: {client.first_name}, {wording.short_when(start, therapist.timezone)}.", "info")
    return redirect(url_for("workspace.client", client_id=client.id))


def _book_series(client, therapist, form, start, mode, location):
    try:
        count = int(form.count.data or "")
    except ValueError:
        return _client_view(client, form, ["Please enter how many sessions, such as 6."], 400)
    try:
        results = on_behalf.book_series(deps(), therapist, client, start, int(form.repeat.data),
                                        count, mode, me(), location)
    except DomainError as problem:
        return _client_view(client, form, [str(problem)], 400)
    booked = sum(1 for r in results if r.booked)
    flash(f"Booked {booked} of {len(results)} sessions.", "info" if booked else "warning")
    return _client_view(client, series=results)
