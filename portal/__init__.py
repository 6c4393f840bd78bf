"""Attune: the Flask app factory."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None, *, container=None, **overrides):
    """Build the portal. ``config`` defaults to the environment; ``overrides`` replace settings."""
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect

    from portal import config as config_module
    from portal.web import checkin, client, errors, health, security, workspace
    from portal.web.workspace.cli import import_appointments, import_clients
    from portal.wiring import Container

    if config is None:
        from portal.adapters.secrets import read_secret_parameter

        config = config_module.load(secret_loader=read_secret_parameter, **overrides)
    elif overrides:
        from dataclasses import replace

        config = replace(config, **overrides)
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"), static_url_path="/static")
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
    app.extensions["attune"] = container or Container(config)
    app.extensions["csrf"] = CSRFProtect(app)

    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(client.bp)
    app.register_blueprint(checkin.bp)
    app.register_blueprint(workspace.bp)
    app.cli.add_command(import_clients)
    app.cli.add_command(import_appointments)
    if config.is_dev:  # production never registers the dev panel
        from portal.web import dev

        # JSON callers are exempt (a cross-site form cannot send application/json);
        # the panel's HTML forms are checked in the views.
        app.extensions["csrf"].exempt(dev.bp)
        app.register_blueprint(dev.bp)
    return app
