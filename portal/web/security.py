"""Security headers on every response, bodies checked before any view, and the static-asset
URL helper for templates."""
from flask import Flask, Response, current_app, request, url_for
from flask.typing import ResponseReturnValue

from portal.web.errors import error_page
from portal.web.static_manifest import hashed_name

CSP = ("default-src 'self'; script-src 'self'{static}; style-src 'self'{static}; img-src 'self' data:{static}; "
       "font-src 'self'{static}; form-action 'self'; base-uri 'none'; object-src 'none'; "
       "frame-ancestors 'none'")


CLIENT_DATA_BLUEPRINTS = ("client", "checkin", "workspace")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
UNREADABLE = ("We couldn't read that",
              "This page takes the form shown on it. Please go back, reload the page and use its buttons.")


def readable_body() -> bool:
    """A form, or a JSON object (a form's fields as text, or for the dev panel any object)."""
    if request.mimetype in FORM_TYPES:
        return True
    if not request.is_json:
        return False
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return False
    if request.blueprint == "dev":
        return True
    return all(isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))
               for v in data.values())


def refuse_unreadable_bodies() -> ResponseReturnValue | None:
    """Before any view (and so before any read or write): a POST must be something we read."""
    if request.method == "POST" and not readable_body():
        return error_page(400, *UNREADABLE)
    return None


def init_app(app: Flask) -> None:
    app.before_request(refuse_unreadable_bodies)
    config = app.config["ATTUNE"]
    static_origin = f" {config.static_url}" if config.static_url else ""
    policy = CSP.format(static=static_origin)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")  # tokens live in our URLs
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not config.is_dev and config.env != "test":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if response.mimetype == "text/html" or request.blueprint in CLIENT_DATA_BLUEPRINTS:
            # Client data (pages, .ics, CSV, the export ZIP) stays out of every cache.
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.template_global()
    def asset(path: str) -> str:
        """A static file's URL: the CDN (hashed name) in production, Flask locally."""
        static_url = current_app.config["ATTUNE"].static_url
        if static_url:
            return f"{static_url}/{hashed_name(path)}"
        return url_for("static", filename=path)
