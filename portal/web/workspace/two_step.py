"""Two-step sign-in pages: the code after the password, enrolment (chosen, or required by the
practice at sign-in), turning it off, and the admin's practice-wide switch.

Between the password and the code the session holds only a "pending" entry (who, when, the
password stamp, which step): no workspace page accepts it, and it lasts minutes.
"""
from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, HiddenField, PasswordField, StringField

from portal.domain.errors import StaleVersion, ValidationError
from portal.services.accounts import sign_in, two_step
from portal.services.workspace import access
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.common import admin_required, local_path, me, start_session
from portal.web.workspace.forms import NEXT_MAX, cap, capped, version_of

PENDING = "two_step"
CODE_HINT = "The 6-digit code your authenticator app shows now."


class CodeForm(FlaskForm):
    code = StringField("Code", cap(two_step.CODE_MAX))


class EnrolForm(FlaskForm):
    secret = HiddenField(validators=cap(64))
    code = StringField("The 6-digit code from your app", cap(two_step.CODE_MAX))


class TurnOffForm(FlaskForm):
    password = PasswordField("Your password", cap(sign_in.PASSWORD_MAX))
    code = StringField("A current code from your app", cap(two_step.CODE_MAX))


class RequirementForm(FlaskForm):
    required = BooleanField("Everyone signs in with a code from an app, after the password")
    version = HiddenField(validators=cap(12))


# --- the half-signed-in state --------------------------------------------------------------
def begin_pending(therapist, step: str, next_path: str):
    """After the right password: remember who, for minutes, and ask for the next step."""
    session.clear()
    session[PENDING] = {"tid": therapist.id, "iat": int(deps().clock.now().timestamp()), "step": step,
                        "stamp": sign_in.session_stamp(therapist), "next": (next_path or "")[:NEXT_MAX]}
    return redirect(url_for("workspace.login_code" if step == "code" else "workspace.login_enrol"))


def _pending(step: str):
    entry = session.get(PENDING)
    if not isinstance(entry, dict) or entry.get("step") != step or not isinstance(entry.get("iat"), int):
        return None
    if two_step.pending_expired(step, entry["iat"], int(deps().clock.now().timestamp())):
        return None
    therapist = access.therapist(deps(), entry.get("tid")) if isinstance(entry.get("tid"), str) else None
    if therapist is None or entry.get("stamp") != sign_in.session_stamp(therapist):
        return None
    return therapist


def _start_over():
    session.pop(PENDING, None)
    flash("For your security, please sign in again.", "info")
    return redirect(url_for("workspace.login"))


def _finish_sign_in(therapist):
    target = local_path(session.get(PENDING, {}).get("next"))
    start_session(therapist)  # a fresh session: the pending entry goes with the old one
    return target or url_for("workspace.dashboard")


@bp.route("/login/code", methods=["GET", "POST"])
@capped(CodeForm)
def login_code() -> ResponseReturnValue:
    therapist = _pending("code")
    if therapist is None:
        return _start_over()
    form = CodeForm()
    if request.method != "POST":
        return render_template("workspace/two_step_code.html", form=form, problem=None, hint=CODE_HINT)
    try:
        passed = two_step.check_code(deps(), therapist, form.code.data or "")
    except (two_step.CodeRefused, sign_in.TooManyAttempts) as problem:
        status = 429 if isinstance(problem, sign_in.TooManyAttempts) else 200
        form.code.data = ""
        return render_template("workspace/two_step_code.html", form=form, problem=str(problem),
                               hint=CODE_HINT), status
    target = _finish_sign_in(therapist)
    if passed.recovery_left is not None:
        flash(f"You signed in with a recovery code. {passed.recovery_left} of them are left; "
              "each works once.", "info")
    return redirect(target)


@bp.route("/login/enrol", methods=["GET", "POST"])
@capped(EnrolForm)
def login_enrol() -> ResponseReturnValue:
    """The practice requires two-step sign-in and this therapist has not set it up yet."""
    therapist = _pending("enrol")
    if therapist is None:
        return _start_over()
    if request.method != "POST":
        return _enrol_page(therapist, EnrolForm(), "workspace/two_step_enrol.html")
    form = EnrolForm()
    try:
        codes = two_step.enrol(deps(), therapist, form.secret.data, form.code.data)
    except (ValidationError, two_step.CodeRefused, sign_in.TooManyAttempts) as problem:
        return _enrol_refused(therapist, form, problem, "workspace/two_step_enrol.html")
    target = _finish_sign_in(therapist)
    return render_template("workspace/two_step_recovery.html", codes=codes, continue_to=target)


# --- one's own two-step sign-in, signed in ------------------------------------------------
@bp.get("/two-step")
def two_step_page() -> ResponseReturnValue:
    if two_step.enrolled(me()):
        return render_template("workspace/two_step.html", off_form=TurnOffForm(),
                               left=len(me().recovery_hashes), problem=None)
    return _enrol_page(me(), EnrolForm(), "workspace/two_step.html")


@bp.post("/two-step")
@capped(EnrolForm)
def two_step_enrol() -> ResponseReturnValue:
    form = EnrolForm()
    try:
        codes = two_step.enrol(deps(), me(), form.secret.data, form.code.data)
    except (ValidationError, two_step.CodeRefused, sign_in.TooManyAttempts) as problem:
        return _enrol_refused(me(), form, problem, "workspace/two_step.html")
    return render_template("workspace/two_step_recovery.html", codes=codes,
                           continue_to=url_for("workspace.dashboard"))


@bp.post("/two-step/off")
@capped(TurnOffForm)
def two_step_off() -> ResponseReturnValue:
    form = TurnOffForm()
    try:
        two_step.turn_off(deps(), me(), form.password.data, form.code.data)
    except (ValidationError, two_step.CodeRefused, sign_in.TooManyAttempts) as problem:
        status = 429 if isinstance(problem, sign_in.TooManyAttempts) else 400
        return render_template("workspace/two_step.html", off_form=TurnOffForm(formdata=None),
                               left=len(me().recovery_hashes), problem=str(problem)), status
    flash("Two-step sign-in is off. You sign in with your password alone.", "info")
    return redirect(url_for("workspace.two_step_page"))


def _enrol_page(therapist, form, template, problem=None, status=200, secret=None):
    enrolment = (two_step.enrolment_for(therapist, secret) if secret
                 else two_step.new_enrolment(therapist))
    form.secret.data = enrolment.secret
    form.code.data = ""
    return render_template(template, form=form, enrolment=enrolment, qr=qr_svg(enrolment.uri),
                           problem=problem, hint=CODE_HINT), status


def _enrol_refused(therapist, form, problem, template):
    status = 429 if isinstance(problem, sign_in.TooManyAttempts) else 400
    # The same key again after a wrong code (the app may have it already); a new one if tampered.
    keep = form.secret.data if isinstance(problem, (two_step.CodeRefused, sign_in.TooManyAttempts)) else None
    return _enrol_page(therapist, form, template, str(problem), status, keep)


def qr_svg(uri: str) -> Markup:
    """The setup address as a QR code, inline SVG drawn here: no image request, no outside service."""
    import segno  # lazy: only the enrol page draws a QR code

    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", svgclass="qr",
                                                lineclass=None, omitsize=False)
    label = "QR code for your authenticator app. The setup key below holds the same."
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


# --- the practice-wide requirement (admin) --------------------------------------------------
def requirement_form():
    """The switch on the settings page, as stored now (read only when that page shows it)."""
    current = deps().store.get_settings()
    return RequirementForm(formdata=None, data={"required": current.two_step_required,
                                                "version": str(current.version)})


@bp.context_processor
def _requirement_for_settings():
    return {"two_step_requirement": requirement_form}


@bp.post("/settings/two-step")
@admin_required
@capped(RequirementForm)
def two_step_requirement() -> ResponseReturnValue:
    form = RequirementForm()
    try:
        two_step.set_requirement(deps(), bool(form.required.data), version_of(form.version.data))
    except StaleVersion as problem:
        flash(str(problem) + " Please choose again.", "warning")
        return redirect(url_for("workspace.settings"))
    flash("Two-step sign-in is now required for everyone." if form.required.data
          else "Two-step sign-in is now each person's choice.", "info")
    return redirect(url_for("workspace.settings"))
