"""Weekly hours, time off and session settings, with what clients will be offered."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.domain.errors import StaleVersion, ValidationError
from portal.domain.model import WEEKDAYS, Availability, Mode
from portal.services.sessions import hours
from portal.services.workspace import pages
from portal.services.workspace import settings as practice
from portal.services.workspace.inputs import FormErrors
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.common import me, subject_therapist
from portal.web.workspace.forms import AvailabilityForm, BookingRulesForm, capped, version_of

# The rows in use plus one blank row each; "Add a window" / "Add time off" gives one more.
BLANK_ROWS = {"windows": {"weekday": "0", "modes": [Mode.IN_PERSON.value, Mode.TELE.value]}, "time_off": {}}


def _form_data(therapist, availability: Availability) -> dict:
    windows = [{"weekday": str(w.weekday), "start": f"{w.start:%H:%M}", "end": f"{w.end:%H:%M}",
                "modes": sorted(m.value for m in w.modes)}
               for w in sorted(availability.windows, key=lambda w: (w.weekday, w.start))]
    windows.append(BLANK_ROWS["windows"])
    time_off = [{"first_day": o.first_day.isoformat(), "last_day": o.last_day.isoformat(),
                 "reason": o.reason} for o in availability.time_off] + [BLANK_ROWS["time_off"]]
    return {"version": str(availability.version), "session_minutes": str(therapist.session_minutes),
            "buffer_minutes": str(therapist.buffer_minutes), "windows": windows, "time_off": time_off}


def _page(therapist, view, form, status=200, general=(), row_errors=None, off_errors=None, focus=None):
    settings = view.settings
    rules = BookingRulesForm(data={"version": str(settings.version),
                                   "min_notice_hours": str(settings.min_notice_hours),
                                   "booking_horizon_days": str(settings.booking_horizon_days)})
    grid = [(name, view.availability.windows_on(n)) for n, name in enumerate(WEEKDAYS)]
    return render_template(
        "workspace/availability.html", therapist=therapist, form=form, rules=rules,
        settings=settings, grid=grid, preview=view.preview, outside=view.outside, closed=view.closed,
        general=list(general), row_errors=row_errors or {}, off_errors=off_errors or {}, focus=focus,
    ), status


@bp.get("/availability")
def availability() -> ResponseReturnValue:
    therapist = subject_therapist()
    view = pages.availability_page(deps(), therapist)
    return _page(therapist, view, AvailabilityForm(data=_form_data(therapist, view.availability)))


def _rows(entries, names):
    rows = []
    for entry in entries:
        rows.append({name: entry.form[name].data for name in names})
    return rows


def _one_more_row(therapist, form, rows: str):
    """The form as entered plus one blank row: nothing is saved."""
    entries = form[rows]
    if len(entries.entries) >= entries.max_entries:
        flash("That is as many rows as one save takes. Save these first, then add more.", "warning")
        focus = None
    else:
        entries.append_entry(BLANK_ROWS[rows])
        focus = entries.entries[-1].id
        flash("A new row is ready. Nothing is saved until you press Save hours.", "info")
    return _page(therapist, pages.availability_page(deps(), therapist), form, focus=focus)


@bp.post("/availability")
@capped(AvailabilityForm)
def save_availability() -> ResponseReturnValue:
    therapist = subject_therapist(request.form.get("therapist"))
    form = AvailabilityForm()
    if request.form.get("add") in BLANK_ROWS:
        return _one_more_row(therapist, form, request.form["add"])
    windows, row_errors = hours.parse_windows(
        _rows(form.windows.entries, ("weekday", "start", "end", "modes", "remove")))
    time_off, off_errors = hours.parse_time_off(
        _rows(form.time_off.entries, ("first_day", "last_day", "reason", "remove")),
        deps().clock.now().date())
    general = []
    try:
        updated = hours.session_settings(therapist, form.session_minutes.data or "",
                                             form.buffer_minutes.data or "")
    except FormErrors as problems:
        updated = None
        for name, message in problems.fields.items():
            form[name].errors = [message]
    if row_errors or off_errors or updated is None:
        general.append("Nothing was saved yet: please fix the marked rows.")
        view = pages.availability_page(deps(), therapist)
        return _page(therapist, view, form, 400, general, row_errors, off_errors)
    try:
        version = version_of(form.version.data or "0")
        saved = hours.save_availability(deps(), therapist, Availability(
            tuple(windows), tuple(time_off), version), updated)
    except StaleVersion as problem:
        view = pages.availability_page(deps(), therapist)
        flash(str(problem), "warning")
        return _page(therapist, view, AvailabilityForm(formdata=None, data=_form_data(therapist, view.availability)),
                     409)
    except (ValidationError, ValueError) as problem:
        view = pages.availability_page(deps(), therapist)
        return _page(therapist, view, form, 400, [str(problem)])
    outside = hours.sessions_outside_hours(deps(), updated, saved)
    flash("Your hours are saved. Clients see the new times right away.", "info")
    if outside:
        flash(f"{len(outside)} booked session(s) now fall outside your hours. They stay booked "
              "and are flagged below and on your dashboard.", "warning")
    back = {"therapist": therapist.id} if therapist.id != me().id else {}
    return redirect(url_for("workspace.availability", **back))


@bp.post("/availability/booking-rules")
@capped(BookingRulesForm)
def save_booking_rules() -> ResponseReturnValue:
    """Minimum notice and horizon are practice-wide: only the admin changes them."""
    if not me().is_admin:
        abort(404)
    form = BookingRulesForm()
    try:
        practice.change_booking_rules(deps(), form.min_notice_hours.data or "",
                                      form.booking_horizon_days.data or "", form.version.data or "")
    except StaleVersion as problem:
        flash(str(problem), "warning")
    except ValidationError as problem:
        flash(f"Not saved: {problem}", "error")
    else:
        flash("Booking rules saved for the whole practice.", "info")
    return redirect(url_for("workspace.availability"))
