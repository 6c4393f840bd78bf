from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue

from portal.domain import wording
from portal.services.client.link_context import practice_contact
from portal.web import deps

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness only: touches no AWS service, so it stays fast and cheap."""
    return jsonify(status="ok")


@bp.get("/")
def index() -> ResponseReturnValue:
    """The practice's name and phone (one GetItem): someone who lands here has a way forward."""
    contact = practice_contact(deps())
    return render_template("index.html", practice_name=contact.name, contact_phone=contact.phone,
                           contact_tel=wording.tel(contact.phone))
