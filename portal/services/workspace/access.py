"""Who may see what in the workspace: a therapist sees their own clients and sessions, the
practice admin sees everyone's. Anything else is answered as if it did not exist."""
from __future__ import annotations

from datetime import timedelta

from portal.domain.model import Client, Therapist
from portal.interfaces import AppointmentContext, Deps


def can_see(viewer: Therapist, owner_id: str) -> bool:
    return owner_id == viewer.id or viewer.is_admin


def therapist(deps: Deps, therapist_id: str) -> Therapist | None:
    """One GetItem: the therapist a session cookie or an admin's page names."""
    return deps.store.get_therapist(therapist_id)


def visible_therapist(deps: Deps, viewer: Therapist, therapist_id: str) -> Therapist | None:
    """The therapist a page is about: oneself (no read), or for the admin anyone."""
    if therapist_id == viewer.id:
        return viewer
    if not viewer.is_admin:
        return None
    return deps.store.get_therapist(therapist_id)


# How far either side of today a session makes a colleague's client visible (as in inputs).
SHARED_CARE_WINDOW = timedelta(days=730)


def visible_client(deps: Deps, viewer: Therapist, client_id: str) -> Client | None:
    """The client, for their own therapist, the admin, or a colleague who has a session with
    them (one handed over when their therapist was deactivated): one more Query, only then."""
    client = deps.store.get_client(client_id)
    if client is None:
        return None
    if can_see(viewer, client.therapist_id) or _has_session_with(deps, viewer, client.id):
        return client
    return None


def _has_session_with(deps: Deps, viewer: Therapist, client_id: str) -> bool:
    now = deps.clock.now()
    sessions = deps.store.client_appointments(client_id, now - SHARED_CARE_WINDOW,
                                              now + SHARED_CARE_WINDOW)
    return any(session.therapist_id == viewer.id for session in sessions)


def visible_appointment(deps: Deps, viewer: Therapist, appointment_id: str) -> AppointmentContext | None:
    """The session as an AppointmentContext (one BatchGetItem after finding its owners)."""
    appointment = deps.store.get_appointment(appointment_id)
    if appointment is None or not can_see(viewer, appointment.therapist_id):
        return None
    return deps.store.load_context(appointment.id, appointment.client_id, appointment.therapist_id)


def colleagues(deps: Deps, viewer: Therapist) -> list[Therapist]:
    """Every therapist of the practice for the admin (to pick whose page); nobody for the others."""
    return deps.store.list_therapists() if viewer.is_admin else []


def practice_team(deps: Deps) -> list[Therapist]:
    """Every therapist of the practice (the admin's pages)."""
    return deps.store.list_therapists()
