"""The therapist workspace under /t: one blueprint, its views split by feature."""
from flask import Blueprint

bp = Blueprint("workspace", __name__, url_prefix="/t")


def register(app):
    """Import the views (each adds its routes to ``bp``) and register the blueprint once."""
    from portal.web.workspace import (  # noqa: F401 - imported for their routes
        appointments, auth, availability, clients, dashboard, settings, stats,
    )
    from portal.web.workspace.common import register_filters, require_sign_in

    if "workspace" in app.blueprints:
        return
    if not getattr(bp, "_attune_ready", False):
        bp.before_request(require_sign_in)
        register_filters(bp)
        bp._attune_ready = True
    app.register_blueprint(bp)
