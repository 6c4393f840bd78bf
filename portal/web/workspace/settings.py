"""Practice admin: practice settings and the therapists of the practice."""
from flask import abort, flash, redirect, render_template, url_for

from portal.domain.errors import StaleVersion, ValidationError
from portal.services import auth, practice, workspace_access
from portal.services.inputs import FormErrors
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.clients import zone_names
from portal.web.workspace.common import admin_required, is_id
from portal.web.workspace.forms import SettingsForm, TherapistForm, apply_errors, capped

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
        "body_days": str(s.body_days), "marker_days": str(s.marker_days),
    }


def _page(form, status=200, general=(), rule_errors=None):
    return render_template("therapist/settings.html", form=form, general=list(general),
                           rule_errors=rule_errors or {}), status


@bp.get("/settings")
@admin_required
def settings():
    return _page(SettingsForm(data=_settings_data(practice.current_settings(deps()))))


@bp.post("/settings")
@admin_required
@capped(SettingsForm)
def save_settings():
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
def therapists():
    return render_template("therapist/therapists.html", therapists=workspace_access.practice_team(deps()),
                           form=TherapistForm(data={"timezone": practice.current_settings(deps()).timezone}),
                           zones=zone_names(), created=None, password=None, general=[])


@bp.post("/therapists")
@admin_required
@capped(TherapistForm)
def add_therapist():
    form = TherapistForm()
    password = auth.temporary_password()
    general, created = [], None
    try:
        created = auth.add_therapist(deps(), form.name.data, form.email.data, form.timezone.data,
                                     form.role.data, password)
    except FormErrors as problems:
        general = apply_errors(form, problems.fields)
    except ValidationError as problem:
        general = [str(problem)]
    status = 200 if created else 400
    # Shown once, on this page only: never stored in plain text or in the session.
    return render_template("therapist/therapists.html", therapists=workspace_access.practice_team(deps()),
                           form=TherapistForm(formdata=None) if created else form, zones=zone_names(),
                           created=created, password=password if created else None,
                           general=general), status


@bp.post("/therapists/<therapist_id>/password")
@admin_required
def reset_password(therapist_id):
    therapist = workspace_access.therapist(deps(), therapist_id) if is_id(therapist_id) else None
    if therapist is None:
        abort(404)
    password = auth.temporary_password()
    auth.reset_password(deps(), therapist, password)
    return render_template("therapist/therapists.html", therapists=workspace_access.practice_team(deps()),
                           form=TherapistForm(formdata=None, data={"timezone": therapist.timezone}),
                           zones=zone_names(), created=therapist, password=password, reset=True,
                           general=[])
