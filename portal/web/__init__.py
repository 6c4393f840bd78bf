"""Web layer: thin blueprints that parse, call a service and render."""
from flask import current_app


def container():
    return current_app.extensions["attune"]


def deps():
    return container().deps
