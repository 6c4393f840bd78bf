"""Weekly hours, time off and session settings, with what clients will be offered."""
from dataclasses import replace
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for

from portal.domain.errors import StaleVersion, ValidationError
from portal.domain.model import WEEKDAYS, Availability, Mode
from portal.domain.slots import open_slots
from portal.domain.timemath import to_local
from portal.services import workspace
from portal.services.practice import save_settings
from portal.services.workspace import FormErrors
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.common import me, subject_therapist
from portal.web.workspace.forms import AvailabilityForm, BookingRulesForm, capped, version_of

BLANK_WINDOWS, BLANK_TIME_OFF = 3, 2
PREVIEW_DAYS = 14


def _form_data(therapist, availability: Availability) -> dict:
    windows = [{"weekday": str(w.weekday), "start": f"{w.start:%H:%M}", "end": f"{w.end:%H:%M}",
                "modes": sorted(m.value for m in w.modes)}
               for w in sorted(availability.windows, key=lambda w: (w.weekday, w.start))]
    windows += [{"weekday": "0", "modes": [Mode.IN_PERSON.value, Mode.TELE.value]}] * BLANK_WINDOWS
    time_off = [{"first_day": o.first_day.isoformat(), "last_day": o.last_day.isoformat(),
                 "reason": o.reason} for o in availability.time_off] + [{}] * BLANK_TIME_OFF
    return {"version": str(availability.version), "session_minutes": str(therapist.session_minutes),
            "buffer_minutes": str(therapist.buffer_minutes), "windows": windows, "time_off": time_off}


def _preview(therapist, availability, settings, booked):
    """The next two weeks' open slots, grouped by the therapist's local day."""
    now = deps().clock.now()
    horizon = replace(settings, booking_horizon_days=min(PREVIEW_DAYS, settings.booking_horizon_days))
    by_day = {}
    for slot in open_slots(therapist, availability, booked, horizon, now):
        by_day.setdefault(to_local(slot.start, therapist.timezone).date(), []).append(slot)
    return sorted(by_day.items())


def _page(therapist, availability, form, status=200, general=(), row_errors=None, off_errors=None):
    settings = deps().store.get_settings()
    rules = BookingRulesForm(data={"version": str(settings.version),
                                   "min_notice_hours": str(settings.min_notice_hours),
                                   "booking_horizon_days": str(settings.booking_horizon_days)})
    grid = [(name, availability.windows_on(n)) for n, name in enumerate(WEEKDAYS)]
    now = deps().clock.now()  # one calendar read serves the preview and the flags
    ahead = deps().store.therapist_appointments(
        therapist.id, now, now + timedelta(days=workspace.OUTSIDE_HOURS_DAYS))
    return render_template(
        "therapist/availability.html", therapist=therapist, form=form, rules=rules,
        settings=settings, grid=grid, preview=_preview(therapist, availability, settings, ahead),
        outside=workspace.sessions_outside_hours(deps(), therapist, availability, ahead),
        general=list(general), row_errors=row_errors or {}, off_errors=off_errors or {},
    ), status


@bp.get("/availability")
def availability():
    therapist = subject_therapist()
    current = deps().store.get_availability(therapist.id)
    return _page(therapist, current, AvailabilityForm(data=_form_data(therapist, current)))


def _rows(entries, names):
    rows = []
    for entry in entries:
        rows.append({name: entry.form[name].data for name in names})
    return rows


@bp.post("/availability")
@capped(AvailabilityForm)
def save_availability():
    therapist = subject_therapist(request.form.get("therapist"))
    form = AvailabilityForm()
    windows, row_errors = workspace.parse_windows(
        _rows(form.windows.entries, ("weekday", "start", "end", "modes", "remove")))
    time_off, off_errors = workspace.parse_time_off(
        _rows(form.time_off.entries, ("first_day", "last_day", "reason", "remove")),
        deps().clock.now().date())
    general = []
    try:
        updated = workspace.session_settings(therapist, form.session_minutes.data or "",
                                             form.buffer_minutes.data or "")
    except FormErrors as problems:
        updated = None
        for name, message in problems.fields.items():
            form[name].errors = [message]
    if row_errors or off_errors or updated is None:
        general.append("Nothing was saved yet: please fix the marked rows.")
        current = deps().store.get_availability(therapist.id)
        return _page(therapist, current, form, 400, general, row_errors, off_errors)
    try:
        version = version_of(form.version.data or "0")
        saved = workspace.save_availability(deps(), therapist, Availability(
            tuple(windows), tuple(time_off), version), updated)
    except StaleVersion as problem:
        current = deps().store.get_availability(therapist.id)
        flash(str(problem), "warning")
        return _page(therapist, current, AvailabilityForm(formdata=None, data=_form_data(therapist, current)), 409)
    except (ValidationError, ValueError) as problem:
        current = deps().store.get_availability(therapist.id)
        return _page(therapist, current, form, 400, [str(problem)])
    outside = workspace.sessions_outside_hours(deps(), updated, saved)
    flash("Your hours are saved. Clients see the new times right away.", "info")
    if outside:
        flash(f"{len(outside)} booked session(s) now fall outside your hours. They stay booked "
              "and are flagged below and on your dashboard.", "warning")
    back = {"therapist": therapist.id} if therapist.id != me().id else {}
    return redirect(url_for("workspace.availability", **back))


@bp.post("/availability/booking-rules")
@capped(BookingRulesForm)
def save_booking_rules():
    """Minimum notice and horizon are practice-wide: only the admin changes them."""
    if not me().is_admin:
        abort(404)
    form = BookingRulesForm()
    current = deps().store.get_settings()
    try:
        notice = int(form.min_notice_hours.data or "")
        horizon = int(form.booking_horizon_days.data or "")
        save_settings(deps(), replace(current, min_notice_hours=notice, booking_horizon_days=horizon,
                                      version=version_of(form.version.data or "0")))
    except StaleVersion as problem:
        flash(str(problem), "warning")
    except ValueError as problem:  # ValidationError is a ValueError too
        message = str(problem) if isinstance(problem, ValidationError) else \
            "Please enter whole numbers of hours and days."
        flash(f"Not saved: {message}", "error")
    else:
        flash("Booking rules saved for the whole practice.", "info")
    return redirect(url_for("workspace.availability"))
