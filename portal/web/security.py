"""Security headers on every response, and the static-asset URL helper for templates."""
from flask import current_app, url_for

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'{static}; img-src 'self' data:{static}; "
       "font-src 'self'{static}; form-action 'self'; base-uri 'none'; object-src 'none'; "
       "frame-ancestors 'none'")


def init_app(app):
    config = app.config["ATTUNE"]
    static_origin = f" {config.static_url}" if config.static_url else ""
    policy = CSP.format(static=static_origin)

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")  # tokens live in our URLs
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not config.is_dev and config.env != "test":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.template_global()
    def asset(path: str) -> str:
        """A static file's URL: the CDN (hashed name) in production, Flask locally."""
        static_url = current_app.config["ATTUNE"].static_url
        if static_url:
            from portal.web.static_manifest import hashed_name

            return f"{static_url}/{hashed_name(path)}"
        return url_for("static", filename=path)
