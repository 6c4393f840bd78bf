"""One session: see it, and on the client's behalf confirm, move, switch mode, cancel or mark
attendance. Every change goes through portal.services.sessions.booking, as the client's links do."""
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.domain import wording
from portal.domain.errors import DomainError, StaleVersion
from portal.domain.model import Barrier, Mode, Status
from portal.services.sessions import on_behalf
from portal.services.workspace import pages
from portal.services.workspace.dashboard import sessions_view
from portal.services.workspace.inputs import parse_start
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.common import (
    me,
    own_appointment,
    subject_therapist,
    therapists_for_picker,
)
from portal.web.workspace.forms import CancelForm, RescheduleForm, capped, version_of
from portal.web.workspace.privacy import audit_read

LIST_BACK, LIST_AHEAD = 14, 42


@bp.get("/appointments")
def appointments() -> ResponseReturnValue:
    """Two weeks back (to mark attendance) and six weeks ahead, with the same flags as the dashboard."""
    therapist = subject_therapist()
    now = deps().clock.now()
    rows, _ = sessions_view(deps(), therapist, now - timedelta(days=LIST_BACK),
                            now + timedelta(days=LIST_AHEAD), with_inbox=True)
    return render_template("workspace/appointments.html", therapist=therapist, now=now,
                           past=[r for r in rows if r.appointment.start <= now][::-1],
                           upcoming=[r for r in rows if r.appointment.start > now],
                           therapists=therapists_for_picker())


def _version():
    return version_of(request.form.get("version"))  # missing or tampered: stale


def _detail(ctx, status=200, problem=None, form=None):
    audit_read("appointment", ctx.client.id, ctx.appointment.id)
    view = pages.appointment_page(deps(), ctx)
    return render_template(
        "workspace/appointment.html", ctx=ctx, appt=ctx.appointment, now=view.now, problem=problem,
        started=view.started, can_switch_to=view.can_switch_to, outside=view.outside, closed=view.closed,
        audit=view.audit, cancel_form=form or CancelForm(), late=view.late,
        deliveries=view.deliveries,
    ), status


def _done(ctx, message):
    flash(message, "info")
    return redirect(url_for("workspace.appointment", appointment_id=ctx.appointment.id))


def _refused(appointment_id, problem):
    """A stale page or a refused change: show the session as it is now, and say why."""
    ctx = own_appointment(appointment_id)
    if isinstance(problem, StaleVersion):
        problem = "This session changed while the page was open. Here it is now; please try again."
    return _detail(ctx, 409, str(problem))


@bp.get("/appointments/<appointment_id>")
def appointment(appointment_id: str) -> ResponseReturnValue:
    return _detail(own_appointment(appointment_id))


@bp.post("/appointments/<appointment_id>/confirm")
def confirm(appointment_id: str) -> ResponseReturnValue:
    ctx = own_appointment(appointment_id)
    try:
        on_behalf.confirm(deps(), ctx, _version(), me())
    except DomainError as problem:
        return _refused(appointment_id, problem)
    return _done(ctx, f"Marked as confirmed. {ctx.client.first_name} gets a short confirmation.")


@bp.post("/appointments/<appointment_id>/mode")
def switch_mode(appointment_id: str) -> ResponseReturnValue:
    ctx = own_appointment(appointment_id)
    try:
        mode = Mode(request.form.get("mode", ""))
        on_behalf.switch_mode(deps(), ctx, mode, _version(), me())
    except ValueError as problem:  # ValidationError too
        return _refused(appointment_id, problem if isinstance(problem, DomainError) else "Pick in person or video.")
    except DomainError as problem:
        return _refused(appointment_id, problem)
    return _done(ctx, f"Switched to {mode.label}. {ctx.client.first_name} is told, with the details.")


@bp.post("/appointments/<appointment_id>/cancel")
@capped(CancelForm)
def cancel(appointment_id: str) -> ResponseReturnValue:
    ctx = own_appointment(appointment_id)
    form = CancelForm()
    try:
        barrier = Barrier(form.barrier.data) if form.barrier.data else None
    except ValueError:
        barrier = None
    try:
        on_behalf.cancel(deps(), ctx, _version(), me(), barrier=barrier, note=form.note.data or "")
    except DomainError as problem:
        return _refused(appointment_id, problem)
    return _done(ctx, f"The session is cancelled and its time is open again. {ctx.client.first_name} "
                      "is told, and pending reminders are withdrawn.")


@bp.post("/appointments/<appointment_id>/attendance")
def attendance(appointment_id: str) -> ResponseReturnValue:
    ctx = own_appointment(appointment_id)
    wanted = {"attended": Status.ATTENDED, "no_show": Status.NO_SHOW}.get(request.form.get("status", ""))
    try:
        if wanted is None:
            raise DomainError("Mark the session attended or missed.")
        on_behalf.mark_attendance(deps(), ctx, wanted, _version(), me())
    except DomainError as problem:
        return _refused(appointment_id, problem)
    return _done(ctx, "Attended: thank you." if wanted is Status.ATTENDED else "Marked as missed.")


def _reschedule_page(ctx, form, status=200, problem=None):
    return render_template("workspace/reschedule.html", ctx=ctx, appt=ctx.appointment, form=form,
                           slot_days=pages.reschedule_days(deps(), ctx), problem=problem), status


@bp.get("/appointments/<appointment_id>/reschedule")
def reschedule(appointment_id: str) -> ResponseReturnValue:
    ctx = own_appointment(appointment_id)
    return _reschedule_page(ctx, RescheduleForm(data={"version": str(ctx.appointment.version)}))


@bp.post("/appointments/<appointment_id>/reschedule")
@capped(RescheduleForm)
def reschedule_post(appointment_id: str) -> ResponseReturnValue:
    ctx = own_appointment(appointment_id)
    form = RescheduleForm()
    try:
        new_start = parse_start(form.start.data, deps().clock.now())
        mode = Mode(form.mode.data) if form.mode.data else None
    except ValueError as problem:  # ValidationError too
        message = str(problem) if isinstance(problem, DomainError) else "Pick in person or video."
        return _reschedule_page(ctx, form, 400, message)
    try:
        on_behalf.reschedule(deps(), ctx, new_start, _version(), me(), mode=mode)
    except StaleVersion:
        fresh = own_appointment(appointment_id)
        return _reschedule_page(fresh, RescheduleForm(formdata=None, data={"version": str(fresh.appointment.version)}),
                                409, "This session changed while the page was open. Please pick again.")
    except DomainError as problem:
        return _reschedule_page(ctx, form, 409, str(problem))
    return _done(ctx, f"Moved to {wording.short_when(new_start, ctx.therapist.timezone)}. {ctx.client.first_name} "
                      "is told, and reminders follow the new time.")
