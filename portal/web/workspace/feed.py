"""The therapist's private calendar feed: the subscription URL (signed, no sign-in cookie, for
calendar apps) and the page that shows it and rotates it."""
from flask import Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from portal.services.sessions import calendar_feed
from portal.web import deps
from portal.web.workspace import bp
from portal.web.workspace.common import me

MAX_TOKEN = 200


@bp.get("/feed/<feed_token>.ics")
def feed(feed_token: str) -> ResponseReturnValue:
    """Open without a sign-in: the token is the credential (checked in require_sign_in's list)."""
    body = calendar_feed.feed(deps(), feed_token) if len(feed_token) <= MAX_TOKEN else None
    if body is None:
        abort(404)
    return Response(body, mimetype="text/calendar",
                    headers={"Cache-Control": "no-store", "Content-Disposition": "inline; filename=sessions.ics"})


@bp.get("/calendar-feed")
def calendar_feed_page() -> ResponseReturnValue:
    return render_template("workspace/calendar_feed.html", feed_url=calendar_feed.feed_url(deps(), me()))


@bp.post("/calendar-feed")
def rotate_calendar_feed() -> ResponseReturnValue:
    calendar_feed.rotate(deps(), me())
    flash("Your new calendar address is ready. Any address you used before no longer works.", "info")
    return redirect(url_for("workspace.calendar_feed_page"))
