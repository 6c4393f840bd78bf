"""Dev-only code: the local stack (`make run`), the demo seed, the dev outbox and the dev panel.

Never in the Lambda zip (zappa_settings.json excludes it) and never imported in production:
``create_app`` imports it only when PORTAL_ENV=dev, and .importlinter holds portal to that.
"""
from __future__ import annotations

from portal.wiring import Container


class DevContainer(Container):
    """The dev container: every message sent is also logged in the table for the outbox."""

    def build_notifier(self):
        from devstack.outbox import SentLog

        return SentLog(super().build_notifier(), self.store, self.clock)


def init_app(app):
    """Register the dev panel. JSON callers are exempt from CSRF (a cross-site form cannot
    send application/json); the panel's HTML forms are checked in the views."""
    from devstack import panel

    app.extensions["csrf"].exempt(panel.bp)
    app.register_blueprint(panel.bp)
