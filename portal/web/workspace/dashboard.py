"""The dashboard: the week ahead with who may miss, and the inbox."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.domain.errors import NotFound, ValidationError
from portal.domain.history import OUTREACH
from portal.domain.risk_score import Level
from portal.services.sessions import outreach
from portal.services.workspace import access, inbox
from portal.services.workspace.dashboard import week_ahead
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.common import (
    is_id,
    me,
    own_appointment,
    subject_therapist,
    therapists_for_picker,
)


def _scope():
    """Whose week: oneself, one colleague (admin), or everyone (admin: ?therapist=all)."""
    if request.args.get("therapist") == "all" and me().is_admin:
        return access.practice_team(deps()), "all"
    therapist = subject_therapist()
    return [therapist], therapist.id


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    therapists, chosen = _scope()
    view = week_ahead(deps(), therapists)
    if chosen == "all":
        heading = "The practice's week"
    else:
        heading = "Your week" if chosen == me().id else f"{therapists[0].name}: the week ahead"
    return render_template("workspace/dashboard.html", view=view, chosen=chosen, heading=heading,
                           zone_name=therapists[0].timezone, show_therapist=len(therapists) > 1,
                           therapists=therapists_for_picker(), levels=Level, now=deps().clock.now())


@bp.post("/inbox/<item_id>/handled")
def inbox_handled(item_id: str) -> ResponseReturnValue:
    therapist = subject_therapist(request.form.get("therapist"))
    if not is_id(item_id):
        abort(404)
    try:
        inbox.mark_handled(deps(), therapist, item_id)
    except NotFound:
        abort(404)
    flash("Marked as handled.", "info")
    view = request.form.get("view", "")
    back = {"therapist": view} if view and view != me().id else {}
    return redirect(url_for("workspace.dashboard", **back) + "#inbox")


@bp.post("/appointments/<appointment_id>/outreach")
def outreach_log(appointment_id: str) -> ResponseReturnValue:
    """The one-tap "Sent a reminder" / "Reached them" from the reach-out list."""
    ctx = own_appointment(appointment_id)
    what = request.form.get("what", "")
    try:
        outreach.log_outreach(deps(), ctx, what, me())
    except ValidationError as problem:
        flash(str(problem), "error")
        return redirect(url_for("workspace.dashboard") + "#reach-h")
    flash(f"{OUTREACH[what]}: noted on {ctx.client.first_name}'s session.", "info")
    view = request.form.get("view", "")
    back = {"therapist": view} if view and view != me().id else {}
    return redirect(url_for("workspace.dashboard", **back) + "#reach-h")
