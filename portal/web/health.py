from flask import Blueprint, jsonify, render_template

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness only: touches no AWS service, so it stays fast and cheap."""
    return jsonify(status="ok")


@bp.get("/")
def index():
    return render_template("index.html")
