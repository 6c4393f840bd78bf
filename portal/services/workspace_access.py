"""Who may see what in the workspace: a therapist sees their own clients and sessions, the
practice admin sees everyone's. Anything else is answered as if it did not exist."""
from __future__ import annotations

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


def visible_client(deps: Deps, viewer: Therapist, client_id: str) -> Client | None:
    client = deps.store.get_client(client_id)
    return client if client is not None and can_see(viewer, client.therapist_id) else None


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
