"""Sign in, sign out, change password."""
from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from portal.domain.errors import ValidationError
from portal.services.accounts import sign_in as auth
from portal.services.accounts import two_step
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.common import local_path, me, signed_in_therapist, start_session
from portal.web.workspace.forms import NEXT_MAX, LoginForm, PasswordForm, capped
from portal.web.workspace.two_step import begin_pending


@bp.route("/login", methods=["GET", "POST"])
@capped(LoginForm)
def login() -> ResponseReturnValue:
    form = LoginForm()
    if request.method == "POST":  # only a POST signs in or counts a failure; HEAD is a GET
        return _sign_in(form)
    if signed_in_therapist() is not None:
        return redirect(url_for("workspace.dashboard"))
    form.next.data = request.args.get("next", "")[:NEXT_MAX]
    if request.args.get("expired"):
        flash("For your security you were signed out. Please sign in again.", "info")
    return render_template("workspace/login.html", form=form, problem=None)


def _sign_in(form):
    try:
        therapist = auth.sign_in(deps(), form.email.data or "", form.password.data or "",
                                 request.remote_addr or "")
    except (auth.SignInFailed, auth.TooManyAttempts) as problem:
        status = 429 if isinstance(problem, auth.TooManyAttempts) else 200
        form.password.data = ""
        return render_template("workspace/login.html", form=form, problem=str(problem)), status
    step = two_step.next_step(deps(), therapist)
    if step is not None:  # the code next (or the enrolment the practice requires)

        return begin_pending(therapist, step, local_path(form.next.data) or "")
    start_session(therapist)
    return redirect(local_path(form.next.data) or url_for("workspace.dashboard"))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    auth.end_sessions(deps(), me())  # a copied cookie stops working too, not only this one
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("workspace.login"))


@bp.route("/password", methods=["GET", "POST"])
@capped(PasswordForm)
def password() -> ResponseReturnValue:
    form = PasswordForm()
    problem = None
    if request.method == "POST":
        try:
            updated = auth.change_password(deps(), me(), form.current.data or "", form.new.data or "",
                                           form.repeat.data or "")
        except ValidationError as refused:
            problem = str(refused)
        else:
            start_session(updated)  # this session continues; every other one ends
            flash("Your password is changed.", "info")
            return redirect(url_for("workspace.dashboard"))
    return render_template("workspace/password.html", form=form, problem=problem)
