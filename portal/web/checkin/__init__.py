"""The one-tap check-in pages at /c/<token> (the link in a check-in message): the blueprint.

GET only shows; every change is a POST with a CSRF token (``views.py``, forms in
``forms.py``). A bad link gets the same friendly page as an appointment link.
"""
from flask import Blueprint

from portal.web import filters
from portal.web.link_problem import handle_link_problems

bp = Blueprint("checkin", __name__, url_prefix="/c")
filters.register(bp)
handle_link_problems(bp)

# Importing the views attaches their routes to ``bp``.
from portal.web.checkin import views  # noqa: E402,F401
