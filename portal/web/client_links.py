"""Client self-service from a reminder link: /a/<token> and what hangs off it.

The views live in ``portal.web.client`` (pages that only show, and the POSTs that
change a session); this module is what ``create_app`` loads.
"""


def init_app(app):
    from portal.web.client import bp, changes, pages  # noqa: F401 - importing registers the routes

    app.register_blueprint(bp)
