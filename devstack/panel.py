"""The dev panel (PORTAL_ENV=dev only): outbox, seeded appointments with their links, the
clock, and "run this function now". Production never imports this package, so never registers this blueprint."""
from __future__ import annotations

import re
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.domain.timemath import iso_utc, parse_utc
from portal.web import container

bp = Blueprint("dev", __name__, url_prefix="/dev", template_folder="templates")

DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$")


def parse_duration(text: str) -> timedelta:
    """ISO 8601 durations such as P1D, PT2H, P1DT30M."""
    match = DURATION.match((text or "").strip().upper())
    if not match or text.strip().upper() in ("P", "PT"):
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as PT2H or P1D")
    parts = {k: int(v) for k, v in match.groupdict().items() if v}
    return timedelta(**parts)


def _json_or_protected():
    """JSON callers (scripts, tests) send application/json, which a cross-site form cannot;
    the panel's own HTML forms carry a CSRF token like every other form."""
    if request.is_json:
        return request.get_json(silent=True) or {}
    current_app.extensions["csrf"].protect()
    return request.form


def appointments_listing() -> ResponseReturnValue:
    c = container()
    store, links, now = c.store, c.links, c.clock.now()
    listing = []
    for therapist in store.list_therapists():
        clients = {cl.id: cl for cl in store.list_clients(therapist.id)}
        for appt in store.therapist_appointments(therapist.id, now - timedelta(days=30),
                                                 now + timedelta(days=120)):
            client = clients.get(appt.client_id)
            listing.append({
                "id": appt.id, "therapist_email": therapist.email,
                "client_first_name": client.first_name if client else "",
                "start": iso_utc(appt.start), "end": iso_utc(appt.end),
                "mode": appt.mode.value, "status": appt.status.value,
                "link": links.appointment_url(appt),
            })
    listing.sort(key=lambda a: a["start"])
    return listing


def outbox() -> ResponseReturnValue:
    from devstack.outbox import read_outbox

    return read_outbox(container().store)


@bp.get("/")
def panel() -> ResponseReturnValue:
    from devstack.schedule import all_functions

    return render_template("dev/panel.html", appointments=appointments_listing(), outbox=outbox(),
                           now=container().clock.now(), functions=sorted(all_functions()))


@bp.get("/outbox.json")
def outbox_json():
    return jsonify(outbox())


@bp.get("/appointments.json")
def appointments_json():
    return jsonify(appointments_listing())


@bp.get("/clock")
def clock_get():
    return jsonify(now=iso_utc(container().clock.now()))


CLOCK_HELP = 'Send {"now": "2026-12-01T09:00:00Z"} or {"advance": "PT2H"}.'


def _must_be_text(data: dict, *keys: str) -> None:
    """A number or a list where a time is due ({"now": 123}) is a mistake to name, not a 500."""
    for key in keys:
        if data.get(key) is not None and not isinstance(data.get(key), str):
            raise ValueError(f'"{key}" must be text in quotes. {CLOCK_HELP}')


@bp.post("/clock")
def clock_post():
    data = _json_or_protected()
    clock = container().clock
    try:
        if not hasattr(data, "get"):
            raise ValueError(CLOCK_HELP)
        _must_be_text(data, "now", "advance")
        if data.get("now"):
            new_now = parse_utc(data["now"])
            if new_now < clock.now() - timedelta(seconds=5):
                raise ValueError("The dev clock only moves forward; restart `make run` to go back.")
            clock.set(new_now)
        elif data.get("advance"):
            clock.advance(parse_duration(data["advance"]))
        else:
            raise ValueError(CLOCK_HELP)
    except (ValueError, TypeError) as problem:
        if request.is_json:
            return jsonify(error=str(problem)), 400
        flash(str(problem), "error")
        return redirect(url_for("dev.panel"))
    if request.is_json:
        return jsonify(now=iso_utc(clock.now()))
    flash(f"The dev clock now reads {iso_utc(clock.now())}.", "info")
    return redirect(url_for("dev.panel"))


@bp.post("/run/<name>")
def run_function(name):
    from devstack.localstack import invoke_function
    from devstack.schedule import all_functions, short_name

    data = _json_or_protected()
    targets = all_functions()
    if name not in targets:
        if request.is_json or request.accept_mimetypes.best == "application/json":
            return jsonify(error=f"No function named {name!r}. Known: {sorted(targets)}"), 404
        abort(404)
    payload = {k: v for k, v in dict(data).items() if k != "csrf_token"} \
        if hasattr(data, "items") else {}
    summary = invoke_function(targets[name], container(), payload)
    if request.is_json:
        return jsonify(function=short_name(targets[name]), summary=summary)
    flash(f"Ran {name}: {summary}", "info")
    return redirect(url_for("dev.panel"))


@bp.post("/delivery-failures")
def delivery_failures():
    """Play a bounce and an SMS failure for the newest reminder email and text."""
    from devstack.delivery_events import play_failures

    _json_or_protected()
    played = play_failures(container())
    message = ("Played " + " and ".join(played) + ". Open the session to see its messages."
               if played else "No reminder has been sent yet: advance the clock and run reminders first.")
    if request.is_json:
        return jsonify(played=played, message=message)
    flash(message, "info")
    return redirect(url_for("dev.panel"))
