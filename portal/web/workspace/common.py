"""What every workspace view shares: the signed-in therapist, ownership checks, template filters."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable, Iterable, TypeVar

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue

from portal.domain.history import describe
from portal.domain.model import Client, Therapist
from portal.interfaces import AppointmentContext
from portal.services.accounts.sign_in import session_stamp
from portal.services.workspace import access
from portal.web import deps, filters

T = TypeVar("T")


def signed_in_therapist() -> Therapist | None:
    """The therapist of this session, or None when there is none or it has expired.

    The session holds the therapist id, when it was issued, and a stamp of the password
    hash (so changing the password ends every other session).
    """
    tid, issued = session.get("tid"), session.get("iat")
    if not tid or not isinstance(issued, int):
        return None
    hours = current_app.config["ATTUNE"].session_hours
    now = deps().clock.now().timestamp()
    if not issued <= now + 60 or now - issued > hours * 3600:
        return None
    therapist = access.therapist(deps(), tid)
    if therapist is None or not therapist.active or session.get("stamp") != session_stamp(therapist):
        return None
    return therapist


def start_session(therapist: Therapist) -> None:
    session.clear()  # a fresh session on every sign-in: nothing carries over
    session.permanent = True
    session.update(tid=therapist.id, iat=int(deps().clock.now().timestamp()),
                   stamp=session_stamp(therapist))


def require_sign_in() -> ResponseReturnValue | None:
    """Blueprint before_request: every page but the sign-in page needs a therapist."""
    if request.endpoint in ("workspace.login", "workspace.static", "workspace.feed",
                            "workspace.login_code", "workspace.login_enrol"):  # their own check
        return None
    therapist = signed_in_therapist()
    if therapist is None:
        had_session = "tid" in session
        session.clear()
        target = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
        return redirect(url_for("workspace.login", next=target, expired=1 if had_session else None))
    g.therapist = therapist
    return None


ID_MAX = 64  # our ids are short; a longer one names nothing and never reaches the table


def is_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= ID_MAX


def me() -> Therapist:
    return g.therapist


def admin_required(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Practice admin pages: others get the same 404 as any page that isn't theirs."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if not me().is_admin:
            abort(404)
        return view(*args, **kwargs)
    return wrapper


def _found(thing: T | None) -> T:
    """What isn't there and what isn't theirs get the same 404."""
    if thing is None:
        abort(404)
    return thing


def subject_therapist(therapist_id: str | None = None) -> Therapist:
    """The therapist a page is about: oneself, or (admin only) the one named in ?therapist=."""
    wanted = therapist_id or request.values.get("therapist") or me().id
    return _found(access.visible_therapist(deps(), me(), wanted) if is_id(wanted) else None)


def own_client(client_id: str) -> Client:
    return _found(access.visible_client(deps(), me(), client_id) if is_id(client_id) else None)


def client_therapist(client: Client) -> Therapist:
    """Whose calendar a client page books into: the client's therapist, or for a colleague
    given one of their sessions (the therapist was deactivated) that colleague's own."""
    return access.visible_therapist(deps(), me(), client.therapist_id) or me()


def own_appointment(appointment_id: str) -> AppointmentContext:
    """The session as an AppointmentContext (one BatchGetItem after finding its owners)."""
    return _found(access.visible_appointment(deps(), me(), appointment_id) if is_id(appointment_id) else None)


def therapists_for_picker() -> list[Therapist]:
    return access.colleagues(deps(), me())


def local_path(target: str | None) -> str | None:
    """Only our own workspace pages may be a redirect target after sign-in."""
    if target and target.startswith("/t/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def modes_label(modes: Iterable[object]) -> str:
    values = {getattr(m, "value", m) for m in modes}
    if values == {"in_person", "tele"}:
        return "in person or video"
    return "video only" if values == {"tele"} else "in person only"


def register_filters(bp: Blueprint) -> None:
    bp.add_app_template_filter(modes_label, "ws_modes")
    bp.add_app_template_filter(describe, "history")  # a session's history line, from what to what
    filters.register(bp)
    bp.add_app_template_filter(lambda v: "–" if v is None else f"{v * 100:.0f}%", "ws_pct")
