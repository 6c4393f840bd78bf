"""The therapist workspace under /t: one blueprint, its views split by feature.

Every page but the sign-in page needs a signed-in therapist (checked before each request).
"""
from flask import Blueprint

from portal.web.workspace.common import register_filters, require_sign_in

bp = Blueprint("workspace", __name__, url_prefix="/t")
bp.before_request(require_sign_in)
register_filters(bp)

# Importing the views attaches their routes to ``bp``.
from portal.web.workspace import (  # noqa: E402,F401
    appointments,
    auth,
    availability,
    clients,
    closed_days,
    dashboard,
    feed,
    privacy,
    settings,
    stats,
    two_step,
    waitlist,
)
