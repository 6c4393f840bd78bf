"""Sign-in: scrypt hashes, the generic refusal, throttling per account and per IP, password changes."""
from dataclasses import replace
from datetime import timedelta

import pytest

from portal.adapters.codec import keys
from portal.domain.errors import ValidationError
from portal.services.accounts import sign_in as auth
from portal.services.workspace.inputs import FormErrors
from tests import builders
from tests.conftest import T0

PASSWORD = builders.PASSWORD


@pytest.fixture
def maya(store):
    return builders.therapist_who_signs_in(store)


def test_hashes_are_salted_scrypt_and_verify():
    one, two = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    assert one.startswith("scrypt:") and one != two
    assert auth.verify_password(one, PASSWORD) and auth.verify_password(two, PASSWORD)
    assert not auth.verify_password(one, PASSWORD + "x")
    assert not auth.verify_password("", PASSWORD)
    assert not auth.verify_password("not-a-hash", PASSWORD)


def test_production_hashes_at_full_scrypt_cost_and_only_the_suite_lowers_it():
    """The suite hashes cheaply (tests/conftest.py lowers config.SCRYPT_N). A fresh interpreter,
    as on Lambda, hashes at werkzeug's full cost (N=2**15, r=8, p=1), and that hash verifies."""
    import subprocess
    import sys

    from portal.paths import ROOT

    code = "from portal.services.accounts.sign_in import hash_password as h; print(h('correct horse battery'))"
    made = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={"PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=60, check=True)
    production_hash = made.stdout.strip()
    assert production_hash.startswith("scrypt:32768:8:1$")
    assert auth.verify_password(production_hash, PASSWORD)
    assert not auth.verify_password(production_hash, PASSWORD + "x")
    assert auth.hash_password(PASSWORD).startswith("scrypt:1024:8:1$")  # the suite's own, cheap


def test_the_seed_hash_signs_in(deps):
    from devstack.seed import seed_demo

    seed_demo(deps, "demo-password-123")
    for email in ("maya@riverbend.example", "SAM@riverbend.example "):
        assert auth.sign_in(deps, email, "demo-password-123", "10.0.0.1").email.endswith("@riverbend.example")


def test_right_password_signs_in_case_insensitively(deps, maya):
    assert auth.sign_in(deps, "  MAYA@practice.test", PASSWORD, "10.0.0.1") == maya


def test_wrong_password_and_unknown_email_get_the_same_words(deps, maya):
    with pytest.raises(auth.SignInFailed) as wrong_password:
        auth.sign_in(deps, maya.email, "nope", "10.0.0.1")
    with pytest.raises(auth.SignInFailed) as unknown:
        auth.sign_in(deps, "nobody@practice.test", PASSWORD, "10.0.0.1")
    assert str(wrong_password.value) == str(unknown.value)
    assert "email and password don't match" in str(unknown.value)


def _fail(deps, email, times, ip="10.0.0.1"):
    for _ in range(times):
        with pytest.raises(auth.SignInFailed):
            auth.sign_in(deps, email, "wrong password", ip)


def test_sixth_failure_within_fifteen_minutes_is_refused_until_the_window_passes(deps, clock, maya):
    _fail(deps, maya.email, 5)
    clock.advance(timedelta(minutes=5))
    with pytest.raises(auth.TooManyAttempts) as refused:
        auth.sign_in(deps, maya.email, "wrong again", "10.0.0.1")
    assert str(refused.value) == "Too many attempts. Please try again in 10 minutes."
    # The right password is refused too while the account is locked: guessing stays useless.
    clock.advance(timedelta(minutes=9, seconds=30))
    with pytest.raises(auth.TooManyAttempts, match="try again in 1 minute\\."):
        auth.sign_in(deps, maya.email, PASSWORD, "10.0.0.2")
    clock.advance(timedelta(seconds=31))  # the window has passed
    assert auth.sign_in(deps, maya.email, PASSWORD, "10.0.0.1") == maya


def test_counters_are_per_account_and_expire_through_ttl(deps, store, maya):
    _fail(deps, maya.email, 3)
    window = int(T0.timestamp()) // auth.WINDOW_SECONDS
    record = store.table.get(*keys.throttle_key("acct", maya.email, window))
    assert record["failures"] == 3
    assert record["expires_at"] == (window + 1) * auth.WINDOW_SECONDS + 24 * 3600  # a day (retention)
    # Another account is untouched by these failures.
    other = replace(builders.therapist("sam001", email="sam@practice.test"),
                    password_hash=auth.hash_password(PASSWORD))
    store.add_therapist(other)
    assert auth.sign_in(deps, other.email, PASSWORD, "10.0.0.1") == other


def test_a_right_password_gives_back_its_reservation(deps, maya):
    _fail(deps, maya.email, 4)
    auth.sign_in(deps, maya.email, PASSWORD, "10.0.0.1")
    _fail(deps, maya.email, 1)  # the fifth failure is still answered normally
    with pytest.raises(auth.TooManyAttempts):
        auth.sign_in(deps, maya.email, PASSWORD, "10.0.0.1")


def test_one_address_trying_many_accounts_is_throttled(deps, maya):
    for n in range(auth.IP_LIMIT):
        _fail(deps, f"guess{n}@practice.test", 1, ip="203.0.113.9")
    with pytest.raises(auth.TooManyAttempts):
        auth.sign_in(deps, maya.email, PASSWORD, "203.0.113.9")
    assert auth.sign_in(deps, maya.email, PASSWORD, "198.51.100.1") == maya


def test_change_password_needs_the_current_one(deps, store, maya):
    with pytest.raises(ValidationError, match="current password isn't right"):
        auth.change_password(deps, maya, "wrong", "a new long password", "a new long password")
    with pytest.raises(ValidationError, match="at least 10"):
        auth.change_password(deps, maya, PASSWORD, "short", "short")
    with pytest.raises(ValidationError, match="don't match"):
        auth.change_password(deps, maya, PASSWORD, "a new long password", "a new long passworx")
    assert store.get_therapist(maya.id).password_hash == maya.password_hash  # nothing changed
    updated = auth.change_password(deps, maya, PASSWORD, "a new long password", "a new long password")
    assert auth.session_stamp(updated) != auth.session_stamp(maya)
    assert auth.sign_in(deps, maya.email, "a new long password", "10.0.0.1").id == maya.id
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(deps, maya.email, PASSWORD, "10.0.0.1")


def test_admin_adds_a_therapist_who_can_sign_in_with_the_temporary_password(deps, store):
    password = auth.temporary_password()
    added = auth.add_therapist(deps, "Rae Kim", "Rae@Practice.example", "America/Chicago", "therapist", password)
    assert store.therapist_by_email("rae@practice.example").id == added.id
    assert auth.sign_in(deps, "rae@practice.example", password, "10.0.0.1").name == "Rae Kim"
    with pytest.raises(FormErrors) as problems:
        auth.add_therapist(deps, "", "not-an-email", "Mars/Olympus", "boss", password)
    assert set(problems.value.fields) == {"name", "email", "role"}
    with pytest.raises(FormErrors, match="time zone"):
        auth.add_therapist(deps, "Ann", "ann@practice.example", "Mars/Olympus", "therapist", password)
    with pytest.raises(ValidationError, match="already exists"):
        auth.add_therapist(deps, "Rae again", "rae@practice.example", "America/Chicago", "therapist", password)


@pytest.mark.parametrize("email, password", [("a" * 3000 + "@practice.test", PASSWORD),
                                             ("maya@practice.test", "x" * 5000)])
def test_an_oversize_email_or_password_is_refused_before_any_count(deps, store, maya, email, password):
    """Once a 500: the throttle key of a 3,000-character email broke DynamoDB's key limit."""
    before = dict(store.table._items)
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(deps, email, password, "203.0.113.9")
    assert store.table._items == before  # no throttle counter, no read-modify-write


def test_signing_out_ends_every_session_and_a_profile_edit_cannot_revive_them(deps, store, maya):
    stale = store.get_therapist(maya.id)
    old_stamp = auth.session_stamp(stale)
    auth.end_sessions(deps, stale)
    now = store.get_therapist(maya.id)
    assert now.session_key and auth.session_stamp(now) != old_stamp
    store.update_therapist(replace(stale, name="Maya C."))  # a page read before the sign-out
    after = store.get_therapist(maya.id)
    assert after.name == "Maya C." and auth.session_stamp(after) == auth.session_stamp(now)
    assert auth.sign_in(deps, maya.email, PASSWORD, "10.0.0.1").id == maya.id  # signing in still works
