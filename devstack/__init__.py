"""Dev-only code: the local stack (`make run`), the demo seed, the dev outbox and the dev panel.

Never in the Lambda zip (zappa_settings.json excludes it) and never imported in production:
``create_dev_app`` wraps ``portal.create_app``, so the arrow runs from devstack to portal only
(.importlinter holds portal to that, with no exception).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal import create_app
from portal.config import load
from portal.wiring import Container

if TYPE_CHECKING:
    from flask import Flask

    from portal.config import Config


class DevContainer(Container):
    """The dev container: every message sent is also logged in the table for the outbox."""

    def build_notifier(self) -> Any:
        from devstack.outbox import SentLog

        return SentLog(super().build_notifier(), self.store, self.clock)


def create_dev_app(config: Config | None = None, *, container: Container | None = None) -> Flask:
    """The portal as `make run` serves it: ``create_app`` with the dev panel, and by default a
    container that logs every message sent for the outbox. ``config`` defaults to the
    given container's, then to the environment."""
    if config is None:
        config = container.config if container is not None else load()
    app = create_app(config, container=container or DevContainer(config))
    init_app(app)
    return app


def init_app(app: Flask) -> None:
    """Register the dev panel. JSON callers are exempt from CSRF (a cross-site form cannot
    send application/json); the panel's HTML forms are checked in the views."""
    from devstack import panel

    app.extensions["csrf"].exempt(panel.bp)
    app.register_blueprint(panel.bp)
