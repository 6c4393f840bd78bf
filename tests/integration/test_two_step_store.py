"""The two-step records on both stores (in-memory and DynamoDB on moto): a code step and a
recovery code are each used once, and a profile edit never touches them."""
from dataclasses import replace

import pytest

from portal.adapters.store import Store
from portal.adapters.tables.memory import MemoryTable
from portal.domain.errors import NotFound
from tests import builders


@pytest.fixture(params=["memory", "dynamodb"])
def any_store(request, clock):
    if request.param == "memory":
        return Store(MemoryTable())
    from tests.stack import deployed_container

    return deployed_container(request.getfixturevalue("moto_endpoint"), clock=clock).store


def test_enrol_use_steps_and_recovery_codes_once_then_end(any_store):
    t = builders.therapist("ther01")
    any_store.add_therapist(t)
    any_store.enrol_two_step(t.id, "A" * 32, 100, ["h1", "h2", "h3"])
    stored = any_store.get_therapist(t.id)
    assert (stored.totp_secret, stored.totp_last_step, stored.recovery_hashes) == ("A" * 32, 100, ("h1", "h2", "h3"))
    assert not any_store.use_code_step(t.id, 100) and not any_store.use_code_step(t.id, 99)
    assert any_store.use_code_step(t.id, 101) and not any_store.use_code_step(t.id, 101)
    assert any_store.use_recovery_code(t.id, ["h1", "h2", "h3"], ["h1", "h3"])
    assert not any_store.use_recovery_code(t.id, ["h1", "h2", "h3"], ["h2", "h3"])  # read before
    any_store.update_therapist(replace(t, name="Renamed"))  # a profile edit from an old read
    stored = any_store.get_therapist(t.id)
    assert (stored.name, stored.totp_last_step, stored.recovery_hashes) == ("Renamed", 101, ("h1", "h3"))
    any_store.end_two_step(t.id)
    off = any_store.get_therapist(t.id)
    assert (off.totp_secret, off.totp_last_step, off.recovery_hashes) == ("", 0, ())
    with pytest.raises(NotFound):
        any_store.enrol_two_step("nobody", "A" * 32, 1, [])


def test_the_practice_requirement_round_trips(any_store):
    saved = any_store.save_settings(replace(any_store.get_settings(), two_step_required=True))
    assert any_store.get_settings().two_step_required and saved.two_step_required
