"""Deactivating a therapist: sign-in and open times stop, history stays, the sessions ahead are
handed to a colleague (the client told) or cancelled kindly, and reactivation brings it back."""
from dataclasses import replace
from datetime import timedelta

import pytest

from portal.domain.audit import Actor
from portal.domain.model import Availability, Mode, Status, Therapist
from portal.services.accounts.sign_in import hash_password
from portal.services.sessions import booking
from portal.services.workspace import figures as stats
from tests.conftest import T0
from tests.workspace_support import DEMO_PASSWORD, MAYA, SAM, Web, app_on, seeded

SAM_ID, MAYA_ID = "sokaf1", "mchen1"


@pytest.fixture
def practice(deps):
    return seeded(deps)


@pytest.fixture
def admin(practice):
    web = Web(app_on(practice))
    assert web.login(MAYA).status_code == 302
    return web


def _ahead(deps, tid):
    found = deps.store.therapist_appointments(tid, T0, T0 + timedelta(days=400))
    return [a for a in found if a.status.is_open and a.start > T0]


def _deactivate(admin, tid=SAM_ID):
    admin.get(f"/t/therapists/{tid}/deactivate")
    return admin.post(f"/t/therapists/{tid}/deactivate")


def test_the_confirmation_page_says_what_happens_and_changes_nothing(admin, practice):
    page = admin.get(f"/t/therapists/{SAM_ID}/deactivate")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Deactivate Sam Okafor?" in body
    assert f"{len(_ahead(practice, SAM_ID))} sessions ahead" in body
    assert practice.store.get_therapist(SAM_ID).active


def test_deactivated_therapist_is_signed_out_cannot_sign_in_and_offers_no_times(admin, practice):
    sam = Web(app_on(practice), remote_addr="198.51.100.9")
    assert sam.login(SAM).status_code == 302
    assert sam.get("/t/").status_code == 200
    maya = practice.store.get_therapist(MAYA_ID)
    figures_before = _figures(practice, maya)
    answer = _deactivate(admin)
    assert answer.status_code == 302 and answer.location.endswith(f"/t/therapists/{SAM_ID}/sessions")
    assert sam.get("/t/").status_code == 302  # his open session ended at once
    refused = sam.login(SAM)
    assert refused.status_code == 200 and "switched off" in refused.get_data(as_text=True)
    ctx = practice.store.load_context(*_ids(_ahead(practice, SAM_ID)[0]))
    assert booking.open_times(practice, ctx.therapist, ctx.availability, ctx.settings) == []
    assert _figures(practice, maya) == figures_before  # history stays
    assert [e.action for e in practice.store.therapist_events(SAM_ID)] == ["deactivated"]
    # Twice is harmless: nothing more is written.
    assert _deactivate(admin).status_code == 302
    assert [e.action for e in practice.store.therapist_events(SAM_ID)] == ["deactivated"]
    # Reactivated (a minute later, so the two events have an order): he signs in with the
    # password he had, and his times are back.
    practice.clock.advance(timedelta(minutes=1))
    admin.post(f"/t/therapists/{SAM_ID}/reactivate")
    assert sam.login(SAM, DEMO_PASSWORD).status_code == 302
    ctx = practice.store.load_context(*_ids(_ahead(practice, SAM_ID)[0]))
    assert booking.open_times(practice, ctx.therapist, ctx.availability, ctx.settings)
    assert [e.action for e in practice.store.therapist_events(SAM_ID)] == ["deactivated", "reactivated"]


def _figures(deps, viewer):
    """The practice's figures, each therapist by id (their account state is not a figure)."""
    figures = stats.attendance_figures(deps, viewer)
    return replace(figures, therapists=[(t.id, rates) for t, rates in figures.therapists])


def _ids(a):
    return a.id, a.client_id, a.therapist_id


def test_the_admin_cannot_deactivate_themselves(admin, practice):
    answer = _deactivate(admin, MAYA_ID)
    assert answer.status_code == 400
    assert "deactivate your own account" in answer.get_data(as_text=True)
    assert practice.store.get_therapist(MAYA_ID).active


def test_clients_times_pages_say_kindly_to_call_the_practice(admin, practice):
    _deactivate(admin)
    session = _ahead(practice, SAM_ID)[0]
    client = Web(app_on(practice))
    page = client.get(f"/a/{practice.links.token(session)}/reschedule").get_data(as_text=True)
    assert "Sam Okafor isn't taking new times right now" in page
    assert 'href="tel:+12025550100"' in page
    assert "Pick a new time" not in page


def test_a_session_is_reassigned_at_the_same_time_and_the_client_told(admin, practice):
    _deactivate(admin)
    session = _ahead(practice, SAM_ID)[0]
    page = admin.get(f"/t/therapists/{SAM_ID}/sessions").get_data(as_text=True)
    assert f"/t/therapists/{SAM_ID}/sessions/{session.id}/reassign" in page
    practice.notifier.sent.clear()
    answer = admin.post(f"/t/therapists/{SAM_ID}/sessions/{session.id}/reassign",
                        {"version": str(session.version), "to": MAYA_ID})
    assert answer.status_code == 302
    moved = practice.store.get_appointment(session.id)
    assert (moved.therapist_id, moved.start, moved.version) == (MAYA_ID, session.start, session.version + 1)
    assert "reassigned" in [e.action for e in practice.store.audit_trail(session.id)]
    assert all(m.for_start == session.start for m in practice.store.messages_of(session.id))
    client = practice.store.get_client(session.client_id)
    told = [p for channel, to, p in practice.notifier.sent if to in (client.email, client.phone)]
    assert told and "colleague" in str(getattr(told[0], "text", told[0]))
    # Sam's old link still opens it; the page now names Maya.
    page = Web(app_on(practice)).get(f"/a/{practice.links.token(session)}")
    assert page.status_code == 200 and "Maya" in page.get_data(as_text=True)
    # The same form again (a stale page): a kind 409, nothing changes.
    again = admin.post(f"/t/therapists/{SAM_ID}/sessions/{session.id}/reassign",
                       {"version": str(session.version), "to": MAYA_ID})
    assert again.status_code == 404  # no longer Sam's session at all
    assert practice.store.get_appointment(session.id) == moved


def test_a_reassign_to_a_taken_time_is_a_kind_409_and_changes_nothing(admin, practice):
    _deactivate(admin)
    session = _ahead(practice, SAM_ID)[0]
    maya = practice.store.get_therapist(MAYA_ID)
    mayas_client = practice.store.list_clients(MAYA_ID)[0]
    booking.record_booking(practice, maya, mayas_client, session.start, Mode.TELE,
                           actor=Actor.system("test"))
    page = admin.post(f"/t/therapists/{SAM_ID}/sessions/{session.id}/reassign",
                      {"version": str(session.version), "to": MAYA_ID})
    assert page.status_code == 409
    assert "already has a session at that time" in page.get_data(as_text=True)
    assert practice.store.get_appointment(session.id) == session


def test_a_stale_version_is_a_kind_409_and_changes_nothing(admin, practice):
    _deactivate(admin)
    session = _ahead(practice, SAM_ID)[0]
    page = admin.post(f"/t/therapists/{SAM_ID}/sessions/{session.id}/reassign",
                      {"version": str(session.version - 1), "to": MAYA_ID})
    assert page.status_code == 409 and "changed while the page was open" in page.get_data(as_text=True)
    assert practice.store.get_appointment(session.id) == session


def test_a_session_is_cancelled_kindly_and_the_client_told(admin, practice):
    _deactivate(admin)
    session = _ahead(practice, SAM_ID)[0]
    practice.notifier.sent.clear()
    answer = admin.post(f"/t/therapists/{SAM_ID}/sessions/{session.id}/cancel",
                        {"version": str(session.version)})
    assert answer.status_code == 302
    assert practice.store.get_appointment(session.id).status is Status.CANCELLED  # never "late"
    assert practice.notifier.sent


def test_a_colleagues_session_is_not_on_this_therapists_page(admin, practice):
    mayas = _ahead(practice, MAYA_ID)[0]
    for action in ("reassign", "cancel"):
        answer = admin.post(f"/t/therapists/{SAM_ID}/sessions/{mayas.id}/{action}",
                            {"version": str(mayas.version), "to": SAM_ID})
        assert answer.status_code == 404
    assert practice.store.get_appointment(mayas.id) == mayas


def test_the_colleague_given_a_session_can_open_that_clients_page_and_only_their_sessions(
        admin, practice):
    ana = Therapist("aruiz1", "Ana Ruiz", "ana@riverbend.example", "America/New_York",
                    password_hash=hash_password(DEMO_PASSWORD))
    practice.store.add_therapist(ana, Availability())
    _deactivate(admin)
    session, *others = _ahead(practice, SAM_ID)
    ana_web = Web(app_on(practice), remote_addr="198.51.100.21")
    assert ana_web.login(ana.email).status_code == 302
    assert ana_web.get(f"/t/clients/{session.client_id}").status_code == 404  # not hers yet
    answer = admin.post(f"/t/therapists/{SAM_ID}/sessions/{session.id}/reassign",
                        {"version": str(session.version), "to": ana.id})
    assert answer.status_code == 302
    page = ana_web.get(f"/t/clients/{session.client_id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert f"/t/appointments/{session.id}" in body  # the session handed to her, and it opens
    assert ana_web.get(f"/t/appointments/{session.id}").status_code == 200
    still_sams = [a for a in others if a.client_id == session.client_id]
    assert still_sams and all(f"/t/appointments/{a.id}" not in body for a in still_sams)
    # A client of Sam's she has no session with stays out of sight.
    stranger = next(a.client_id for a in others if a.client_id != session.client_id)
    assert ana_web.get(f"/t/clients/{stranger}").status_code == 404
