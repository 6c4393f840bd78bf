"""Web layer: thin blueprints that parse, call a service and render."""
from typing import Any

from flask import current_app

from portal.interfaces import Deps


def container() -> Any:
    """The app's portal.wiring.Container (a sibling layer, so not imported here)."""
    return current_app.extensions["attune"]


def deps() -> Deps:
    return container().deps
