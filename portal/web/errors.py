"""Friendly answers for every error: a page written for a person, never a stack trace."""
import logging
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.domain.errors import ServiceBusy

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Something went wrong with that request", "Please go back, reload the page and try again."),
    403: ("That isn't available to you", "If you think this is a mistake, please contact the practice."),
    404: ("We couldn't find that page", "The link may be incomplete. Please check it, or contact the practice."),
    405: ("That didn't work", "Please go back and use the buttons on the page."),
    413: ("That was too much to send", "Please shorten what you wrote and try again."),
    429: ("Please wait a moment", "There were many tries in a short time. Please try again shortly."),
    503: ("We're busy for a moment",
          ("Nothing you did caused this, and nothing was lost. Please try again in a moment.")),
    500: ("Something went wrong on our side", "Nothing you did caused this. Please try again in a minute."),
}


def _wants_json() -> bool:
    return request.path.endswith(".json") or (
        request.accept_mimetypes.best == "application/json")


def error_page(status: int, title: str | None = None, detail: str | None = None, **page: Any) -> tuple[Any, int]:
    default_title, default_detail = MESSAGES.get(status, MESSAGES[400])
    title, detail = title or default_title, detail or default_detail
    if _wants_json():
        return jsonify(error=title, detail=detail), status
    return render_template("error.html", title=title, detail=detail, status=status, **page), status


def _remembered_contact() -> tuple[str, str]:
    """The practice's name and phone as last read: asking the table again would only fail
    again (and make the wait longer), so the busy page uses what is already in memory."""
    container = current_app.extensions.get("attune")
    store = getattr(container, "__dict__", {}).get("store")  # built already, or not at all
    settings = getattr(store, "last_settings", None)
    if settings is None:
        return "", ""
    return settings.display_name, settings.contact_phone


def busy_page(error: ServiceBusy) -> Response:
    name, phone = _remembered_contact()
    body, status = error_page(503, practice_name=name, contact_phone=phone)
    body = current_app.make_response((body, status))
    body.headers["Retry-After"] = str(error.retry_after)
    return body


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        return error_page(400, "This page was open for a while",
                          "For your security, please go back, reload the page and try again.")

    @app.errorhandler(ServiceBusy)
    def service_busy(error: ServiceBusy) -> ResponseReturnValue:
        # Logged without the stack: AWS was busy past the retries; the cause names the call.
        log.warning("service busy on %s %s: %r", request.method,
                    request.url_rule.rule if request.url_rule else "(no route)", error.__cause__)
        return busy_page(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        return error_page(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        # The route's pattern, not the path: a client's path holds their link token.
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        log.exception("unhandled error on %s %s", request.method, rule)
        return error_page(500)
