"""Attune: the Flask app factory."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

    from portal.config import Config
    from portal.wiring import Container


def create_app(config: Config | None = None, *, container: Container | None = None, **overrides: Any) -> Flask:
    """Build the portal. ``config`` defaults to the environment; ``overrides`` replace settings."""
    # Imported here, not at the top: any `import portal.x` (a Lambda function, a service) runs
    # this package first, and must not load Flask and every view.
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect

    from portal import cli
    from portal import config as config_module
    from portal.logs import configure_logging
    from portal.paths import STATIC, TEMPLATES
    from portal.web import checkin, client, errors, fresh_link, health, offers, request_log, security, workspace
    from portal.wiring import Container

    if config is None:
        from portal.adapters.aws.secrets import read_secret_parameter

        config = config_module.load(secret_loader=read_secret_parameter, **overrides)
    elif overrides:
        config = replace(config, **overrides)
    app = Flask(__name__, template_folder=str(TEMPLATES),
                static_folder=str(STATIC), static_url_path="/static")
    app.config.update(
        SECRET_KEY=config.secret_key,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session cookie
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.is_production,
        PERMANENT_SESSION_LIFETIME=config.session_hours * 3600,
        MAX_CONTENT_LENGTH=1024 * 1024,
        ATTUNE=config,
    )
    app.extensions["csrf"] = CSRFProtect(app)
    app.extensions["attune"] = container or Container(config)

    configure_logging()  # JSON lines, allow-listed fields: no PHI in the logs
    security.init_app(app)
    errors.init_app(app)
    request_log.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(client.bp)
    app.register_blueprint(checkin.bp)
    app.register_blueprint(fresh_link.bp)
    app.register_blueprint(offers.bp)
    app.register_blueprint(workspace.bp)
    cli.init_app(app)
    return app
