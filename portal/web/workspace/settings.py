"""Practice admin: practice settings and the therapists of the practice."""
from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from portal.domain.errors import InvalidTransition, NotFound, SlotTaken, StaleVersion, ValidationError
from portal.services.accounts import sign_in
from portal.services.workspace import access, team
from portal.services.workspace import settings as practice
from portal.services.workspace.inputs import FormErrors
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.clients import zone_names
from portal.web.workspace.common import admin_required, is_id, me
from portal.web.workspace.forms import ReassignForm, SettingsForm, TherapistForm, apply_errors, capped, version_of

BLANK_RULES = 2


def _settings_data(s) -> dict:
    rules = [{"hours_before": str(r.hours_before), "channels": [c.value for c in r.channels]}
             for r in s.reminder_schedule] + [{}] * BLANK_RULES
    return {
        "version": str(s.version), "display_name": s.display_name, "contact_phone": s.contact_phone,
        "late_cancel_hours": str(s.late_cancel_hours), "min_notice_hours": str(s.min_notice_hours),
        "booking_horizon_days": str(s.booking_horizon_days), "reminders": rules,
        "quiet_start": f"{s.quiet_start:%H:%M}", "quiet_end": f"{s.quiet_end:%H:%M}",
        "cost_text": s.cost_text, "crisis_text": s.crisis_text,
        "tele_link_template": s.tele_link_template, "nudge_hours": str(s.nudge_hours),
        "change_grace_minutes": str(s.change_grace_minutes),
        "waitlist_on": s.waitlist_on, "wave_size": str(s.wave_size),
        "claim_minutes": str(s.claim_minutes), "grace_minutes": str(s.grace_minutes),
        "body_days": str(s.body_days), "marker_days": str(s.marker_days),
    }


def _page(form, status=200, general=(), rule_errors=None):
    return render_template("workspace/settings.html", form=form, general=list(general),
                           rule_errors=rule_errors or {}), status


@bp.get("/settings")
@admin_required
def settings() -> ResponseReturnValue:
    return settings_page()


def settings_page(status: int = 200) -> ResponseReturnValue:
    """The settings page as stored now (a section's refused post shows it with its status)."""
    return _page(SettingsForm(data=_settings_data(practice.current_settings(deps()))), status)


@bp.post("/settings")
@admin_required
@capped(SettingsForm)
def save_settings() -> ResponseReturnValue:
    form = SettingsForm()
    rows = [{"hours_before": e.form.hours_before.data, "channels": e.form.channels.data,
             "remove": e.form.remove.data} for e in form.reminders.entries]
    values = {name: form[name].data for name in form._fields if name not in ("csrf_token", "reminders")}
    try:
        practice.change_settings(deps(), values, rows)
    except practice.SettingsProblems as problems:
        general = apply_errors(form, problems.fields)
        return _page(form, 400, general or ["Nothing was saved yet: please fix the marked fields."], problems.rows)
    except StaleVersion as problem:
        flash(str(problem), "warning")
        return _page(SettingsForm(formdata=None, data=_settings_data(practice.current_settings(deps()))), 409)
    except ValidationError as problem:
        return _page(form, 400, [str(problem)])
    flash("Practice settings saved. New reminders follow the new schedule.", "info")
    return redirect(url_for("workspace.settings"))


@bp.get("/therapists")
@admin_required
def therapists() -> ResponseReturnValue:
    return _team_page()


@bp.post("/therapists")
@admin_required
@capped(TherapistForm)
def add_therapist() -> ResponseReturnValue:
    form = TherapistForm()
    password = sign_in.temporary_password()
    general, created = [], None
    try:
        created = sign_in.add_therapist(deps(), form.name.data, form.email.data, form.timezone.data,
                                     form.role.data, password)
    except FormErrors as problems:
        general = apply_errors(form, problems.fields)
    except ValidationError as problem:
        general = [str(problem)]
    status = 200 if created else 400
    # Shown once, on this page only: never stored in plain text or in the session.
    return render_template("workspace/therapists.html", therapists=access.practice_team(deps()),
                           form=TherapistForm(formdata=None) if created else form, zones=zone_names(),
                           created=created, password=password if created else None,
                           general=general), status


@bp.post("/therapists/<therapist_id>/password")
@admin_required
def reset_password(therapist_id: str) -> ResponseReturnValue:
    therapist = access.therapist(deps(), therapist_id) if is_id(therapist_id) else None
    if therapist is None:
        abort(404)
    password = sign_in.temporary_password()
    sign_in.reset_password(deps(), therapist, password)
    return render_template("workspace/therapists.html", therapists=access.practice_team(deps()),
                           form=TherapistForm(formdata=None, data={"timezone": therapist.timezone}),
                           zones=zone_names(), created=therapist, password=password, reset=True,
                           general=[])


# --- deactivate, reactivate, and the deactivated therapist's sessions ----------------------------
def _team_page(status=200, general=()):
    return render_template("workspace/therapists.html", therapists=access.practice_team(deps()),
                           form=TherapistForm(data={"timezone": practice.current_settings(deps()).timezone}),
                           zones=zone_names(), created=None, password=None, general=list(general)), status


def _checked_id(value):
    if not is_id(value):
        abort(404)
    return value


@bp.get("/therapists/<therapist_id>/deactivate")
@admin_required
def confirm_deactivate(therapist_id: str) -> ResponseReturnValue:
    try:
        therapist, ahead = team.confirm_deactivate(deps(), me(), _checked_id(therapist_id))
    except NotFound:
        abort(404)
    return render_template("workspace/deactivate.html", therapist=therapist, ahead=ahead)


@bp.post("/therapists/<therapist_id>/deactivate")
@admin_required
def deactivate(therapist_id: str) -> ResponseReturnValue:
    try:
        therapist = team.deactivate(deps(), me(), _checked_id(therapist_id))
    except NotFound:
        abort(404)
    except ValidationError as problem:
        return _team_page(400, [str(problem)])
    flash(f"{therapist.name} is deactivated: they can't sign in, and clients see no open times "
          "with them. Their sessions ahead are below.", "info")
    return redirect(url_for("workspace.team_sessions", therapist_id=therapist.id))


@bp.post("/therapists/<therapist_id>/reactivate")
@admin_required
def reactivate(therapist_id: str) -> ResponseReturnValue:
    try:
        therapist = team.reactivate(deps(), me(), _checked_id(therapist_id))
    except NotFound:
        abort(404)
    flash(f"{therapist.name} is active again: they can sign in, and their open times are back.", "info")
    return redirect(url_for("workspace.therapists"))


@bp.post("/therapists/<therapist_id>/two-step/reset")
@admin_required
def reset_two_step(therapist_id: str) -> ResponseReturnValue:
    try:
        therapist, required = team.reset_two_step(deps(), me(), _checked_id(therapist_id))
    except NotFound:
        abort(404)
    except ValidationError as problem:
        return _team_page(400, [str(problem)])
    again = ("They set it up again at their next sign-in, as the practice requires."
             if required
             else "They sign in with their password, and can turn it on again under Two-step sign-in.")
    flash(f"Two-step sign-in is off for {therapist.name}. {again}", "info")
    return redirect(url_for("workspace.therapists"))


def _sessions_page(therapist_id, status=200, problem=None):
    try:
        found = team.future_sessions(deps(), me(), _checked_id(therapist_id))
    except NotFound:
        abort(404)
    return render_template("workspace/team_sessions.html", team=found, problem=problem,
                           form=ReassignForm()), status


@bp.get("/therapists/<therapist_id>/sessions")
@admin_required
def team_sessions(therapist_id: str) -> ResponseReturnValue:
    return _sessions_page(therapist_id)


@bp.post("/therapists/<therapist_id>/sessions/<appointment_id>/reassign")
@admin_required
@capped(ReassignForm)
def reassign_session(therapist_id: str, appointment_id: str) -> ResponseReturnValue:
    form = ReassignForm()
    return _session_change(therapist_id, appointment_id, lambda version: team.reassign(
        deps(), me(), therapist_id, appointment_id, version, form.to.data or ""),
        "Reassigned. The client has been told: same time, another therapist.")


@bp.post("/therapists/<therapist_id>/sessions/<appointment_id>/cancel")
@admin_required
@capped(ReassignForm)
def cancel_session(therapist_id: str, appointment_id: str) -> ResponseReturnValue:
    return _session_change(therapist_id, appointment_id, lambda version: team.cancel_kindly(
        deps(), me(), therapist_id, appointment_id, version),
        "Cancelled. The client has been told kindly, with a way to book a new time.")


def _session_change(therapist_id, appointment_id, change, done: str):
    """Run one change of a session on the sessions page; a stale page or a taken time is a kind 409."""
    _checked_id(therapist_id), _checked_id(appointment_id)
    try:
        change(version_of(ReassignForm().version.data))
    except NotFound:
        abort(404)
    except SlotTaken:
        return _sessions_page(therapist_id, 409, "That therapist already has a session at that time. "
                                                 "Nothing was changed; please pick someone else.")
    except (StaleVersion, InvalidTransition):
        return _sessions_page(therapist_id, 409, "This session changed while the page was open. "
                                                 "Nothing was changed; here is the list as it is now.")
    except ValidationError as problem:
        return _sessions_page(therapist_id, 400, str(problem))
    flash(done, "info")
    return redirect(url_for("workspace.team_sessions", therapist_id=therapist_id))
