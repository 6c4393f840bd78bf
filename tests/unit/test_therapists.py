"""Deactivation on the fakes: no open times, no sign-in, never oneself, twice is harmless."""
from dataclasses import replace

import pytest

from portal.domain.audit import Actor
from portal.domain.errors import NotFound, SlotUnavailable, ValidationError
from portal.domain.model import Mode, PracticeSettings
from portal.domain.slots import open_slots
from portal.services.accounts import sign_in as auth
from portal.services.sessions import booking
from portal.services.workspace import team
from tests import builders
from tests.conftest import T0


def test_a_deactivated_therapist_offers_no_times_and_cannot_be_booked(deps):
    t, c = builders.practice(deps.store)
    availability = builders.weekday_availability()
    assert open_slots(t, availability, [], PracticeSettings(), T0)
    away = replace(t, active=False)
    assert open_slots(away, availability, [], PracticeSettings(), T0) == []
    start = open_slots(t, availability, [], PracticeSettings(), T0)[0].start
    with pytest.raises(SlotUnavailable):
        booking.record_booking(deps, away, c, start, Mode.TELE, actor=Actor.system("test"))


def test_deactivation_refuses_sign_in_ends_sessions_and_is_undone_by_reactivation(deps):
    admin = builders.therapist("admin1", role="admin")
    deps.store.add_therapist(admin)
    t, _ = builders.practice(deps.store, t=builders.therapist(password_hash=auth.hash_password("pw-1234567890")))
    stamp = auth.session_stamp(deps.store.get_therapist(t.id))
    team.deactivate(deps, admin, t.id)
    stored = deps.store.get_therapist(t.id)
    assert not stored.active and auth.session_stamp(stored) != stamp  # open sessions end
    with pytest.raises(auth.AccountInactive):
        auth.sign_in(deps, t.email, "pw-1234567890", "203.0.113.1")
    with pytest.raises(auth.SignInFailed) as wrong:  # a wrong password says nothing of the state
        auth.sign_in(deps, t.email, "not-the-password", "203.0.113.1")
    assert not isinstance(wrong.value, auth.AccountInactive)
    team.deactivate(deps, admin, t.id)  # twice: nothing more happens
    assert deps.store.get_therapist(t.id) == stored
    assert [e.action for e in deps.store.therapist_events(t.id)] == ["deactivated"]
    team.reactivate(deps, admin, t.id)
    assert auth.sign_in(deps, t.email, "pw-1234567890", "203.0.113.1").active


def test_only_an_admin_deactivates_and_never_themselves(deps):
    admin = builders.therapist("admin1", role="admin")
    deps.store.add_therapist(admin)
    t, _ = builders.practice(deps.store)
    with pytest.raises(ValidationError, match="your own account"):
        team.deactivate(deps, admin, admin.id)
    with pytest.raises(NotFound):
        team.deactivate(deps, t, admin.id)
    with pytest.raises(NotFound):
        team.deactivate(deps, admin, "nobody")
    assert deps.store.get_therapist(admin.id).active and deps.store.get_therapist(t.id).active
