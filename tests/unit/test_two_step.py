"""Two-step sign-in (services/accounts/two_step.py): enrolment, codes used once, recovery codes spent once,
the shared throttle, turning it off, and the practice-wide requirement."""
from dataclasses import replace
from datetime import timedelta

import pyotp
import pytest

from portal.domain.errors import StaleVersion, ValidationError
from portal.services.accounts import sign_in, two_step
from tests import builders

PASSWORD = builders.PASSWORD


@pytest.fixture
def maya(store):
    return builders.therapist_who_signs_in(store)


def code_at(secret, clock, steps=0):
    return pyotp.TOTP(secret).at(clock.now() + timedelta(seconds=30 * steps))


def enrolled(deps, therapist, clock):
    """Maya with two-step sign-in on (the confirming code's step used), and her recovery codes."""
    secret = two_step.new_enrolment(therapist).secret
    codes = two_step.enrol(deps, therapist, secret, code_at(secret, clock))
    clock.advance(timedelta(seconds=30))  # the next code is a fresh one
    return deps.store.get_therapist(therapist.id), codes


def test_a_new_enrolment_is_a_base32_secret_in_an_otpauth_address(maya):
    one, two = two_step.new_enrolment(maya), two_step.new_enrolment(maya)
    assert len(one.secret) == 32 and one.secret != two.secret
    assert one.uri.startswith("otpauth://totp/Attune:maya%40practice.test?secret=" + one.secret)
    assert "issuer=Attune" in one.uri


def test_enrolment_needs_a_right_code_and_then_stores_secret_and_hashed_recovery_codes(deps, maya, clock):
    secret = two_step.new_enrolment(maya).secret
    with pytest.raises(two_step.CodeRefused, match="didn't work"):
        two_step.enrol(deps, maya, secret, "000000" if code_at(secret, clock) != "000000" else "111111")
    assert deps.store.get_therapist(maya.id).totp_secret == ""  # nothing stored yet
    codes = two_step.enrol(deps, maya, secret, code_at(secret, clock))
    stored = deps.store.get_therapist(maya.id)
    assert stored.totp_secret == secret and two_step.enrolled(stored)
    assert len(codes) == 10 == len(set(codes)) == len(stored.recovery_hashes)
    assert all(len(c) == 11 and c[5] == "-" for c in codes)
    assert all(c.replace("-", "") not in h for c in codes for h in stored.recovery_hashes)
    assert all(h.startswith("pbkdf2:sha256:") for h in stored.recovery_hashes)


def test_a_tampered_setup_key_is_refused_in_words(deps, maya, clock):
    with pytest.raises(ValidationError, match="setup key on this page was changed"):
        two_step.enrol(deps, maya, "not base32!", "123456")


def test_a_current_code_passes_once_and_its_reuse_is_refused(deps, maya, clock):
    maya, _ = enrolled(deps, maya, clock)
    code = code_at(maya.totp_secret, clock)
    assert two_step.check_code(deps, maya, code).recovery_left is None
    again = deps.store.get_therapist(maya.id)
    with pytest.raises(two_step.CodeRefused, match="just used"):
        two_step.check_code(deps, again, code)
    with pytest.raises(two_step.CodeRefused, match="just used"):  # even from a stale read
        two_step.check_code(deps, maya, code)
    clock.advance(timedelta(seconds=30))
    assert two_step.check_code(deps, again, code_at(maya.totp_secret, clock)).recovery_left is None


def test_the_code_confirming_enrolment_cannot_sign_in_again(deps, maya, clock):
    secret = two_step.new_enrolment(maya).secret
    code = code_at(secret, clock)
    two_step.enrol(deps, maya, secret, code)
    with pytest.raises(two_step.CodeRefused, match="just used"):
        two_step.check_code(deps, deps.store.get_therapist(maya.id), code)


def test_one_step_of_drift_either_way_is_accepted_two_are_not(deps, maya, clock):
    maya, _ = enrolled(deps, maya, clock)
    clock.advance(timedelta(seconds=30))  # the step before now is not the enrolment's
    assert two_step.check_code(deps, maya, code_at(maya.totp_secret, clock, -1)) is not None
    maya = deps.store.get_therapist(maya.id)
    with pytest.raises(two_step.CodeRefused):
        two_step.check_code(deps, maya, code_at(maya.totp_secret, clock, 2))
    assert two_step.check_code(deps, maya, code_at(maya.totp_secret, clock, 1)) is not None


def test_two_parallel_uses_of_one_code_pass_once(deps, maya, clock):
    """Both read Maya before either wrote: the conditional write lets one through."""
    maya, _ = enrolled(deps, maya, clock)
    code = code_at(maya.totp_secret, clock)
    two_step.check_code(deps, maya, code)
    with pytest.raises(two_step.CodeRefused):
        two_step.check_code(deps, maya, code)
    assert not deps.store.use_code_step(maya.id, deps.store.get_therapist(maya.id).totp_last_step)


def test_a_recovery_code_works_once_with_or_without_dash_and_case(deps, maya, clock):
    maya, codes = enrolled(deps, maya, clock)
    assert two_step.check_code(deps, maya, codes[3].upper().replace("-", " ")).recovery_left == 9
    with pytest.raises(two_step.CodeRefused, match="didn't work"):
        two_step.check_code(deps, deps.store.get_therapist(maya.id), codes[3])
    with pytest.raises(two_step.CodeRefused, match="just used"):  # a parallel use, read before
        two_step.check_code(deps, maya, codes[3])
    assert two_step.check_code(deps, deps.store.get_therapist(maya.id), codes[4]).recovery_left == 8


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abc", "x" * 500, "１２３４５６"])
def test_unreadable_codes_get_the_plain_words(deps, maya, clock, typed):
    maya, _ = enrolled(deps, maya, clock)
    with pytest.raises(two_step.CodeRefused, match="6-digit code your authenticator app shows now"):
        two_step.check_code(deps, maya, typed)


def test_the_sixth_wrong_code_in_15_minutes_is_refused_even_when_right(deps, maya, clock):
    maya, _ = enrolled(deps, maya, clock)
    wrong = "000000" if code_at(maya.totp_secret, clock) != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(two_step.CodeRefused):
            two_step.check_code(deps, maya, wrong)
    with pytest.raises(sign_in.TooManyAttempts, match=r"Too many attempts. Please try again in \d+ minutes?."):
        two_step.check_code(deps, maya, code_at(maya.totp_secret, clock))
    clock.advance(timedelta(minutes=15))
    assert two_step.check_code(deps, maya, code_at(maya.totp_secret, clock)) is not None


def test_right_codes_do_not_count_towards_the_limit(deps, maya, clock):
    maya, _ = enrolled(deps, maya, clock)
    for _ in range(8):
        two_step.check_code(deps, deps.store.get_therapist(maya.id), code_at(maya.totp_secret, clock))
        clock.advance(timedelta(seconds=30))


def test_turning_off_needs_the_password_and_a_current_code(deps, maya, clock):
    maya, codes = enrolled(deps, maya, clock)
    with pytest.raises(ValidationError, match="password isn't right"):
        two_step.turn_off(deps, maya, "wrong password", code_at(maya.totp_secret, clock))
    with pytest.raises(two_step.CodeRefused):
        two_step.turn_off(deps, maya, PASSWORD, "")
    assert two_step.enrolled(deps.store.get_therapist(maya.id))
    two_step.turn_off(deps, maya, PASSWORD, code_at(maya.totp_secret, clock))
    off = deps.store.get_therapist(maya.id)
    assert (off.totp_secret, off.recovery_hashes, off.totp_last_step) == ("", (), 0)
    assert two_step.next_step(deps, off) is None


def test_a_profile_edit_cannot_undo_two_step_sign_in(deps, maya, clock):
    stale = maya
    enrolled(deps, maya, clock)
    deps.store.update_therapist(replace(stale, name="Maya C."))
    assert two_step.enrolled(deps.store.get_therapist(maya.id))


def test_the_admin_requirement_sends_the_unenrolled_to_enrolment(deps, maya, clock):
    assert two_step.next_step(deps, maya) is None
    version = deps.store.get_settings().version
    assert two_step.set_requirement(deps, True, version).two_step_required
    assert two_step.next_step(deps, maya) == "enrol"
    with pytest.raises(StaleVersion):
        two_step.set_requirement(deps, False, version)  # opened before the change
    maya, _ = enrolled(deps, maya, clock)
    assert two_step.next_step(deps, maya) == "code"
    with pytest.raises(ValidationError, match="requires two-step sign-in"):
        two_step.turn_off(deps, maya, PASSWORD, code_at(maya.totp_secret, clock))


def test_enrolled_therapists_always_get_the_code_step(deps, maya, clock):
    maya, _ = enrolled(deps, maya, clock)
    assert two_step.next_step(deps, maya) == "code"


def test_the_half_signed_in_state_lasts_minutes():
    assert not two_step.pending_expired("code", 1000, 1000 + 5 * 60)
    assert two_step.pending_expired("code", 1000, 1000 + 5 * 60 + 1)
    assert not two_step.pending_expired("enrol", 1000, 1000 + 15 * 60)
    assert two_step.pending_expired("code", 1000, 900)  # issued in the future
    assert two_step.pending_expired("other", 1000, 1000 + 1)


def test_on_the_dev_stack_codes_follow_real_time_not_the_moved_dev_clock(store, maya):
    """Issue 18 item 10: a real authenticator's code still works after the dev panel moves the
    clock, and a code for the dev clock's time does not."""
    from datetime import datetime, timezone

    from portal.clock import DevClock
    from portal.interfaces import Deps

    dev_clock = DevClock()
    dev_deps = Deps(store=store, notifier=None, clock=dev_clock, links=None)
    secret = two_step.new_enrolment(maya).secret
    real = lambda: pyotp.TOTP(secret).at(datetime.now(timezone.utc))  # noqa: E731 - the phone
    dev_clock.advance(timedelta(days=1))
    two_step.enrol(dev_deps, maya, secret, real())
    maya = store.get_therapist(maya.id)
    with pytest.raises(two_step.CodeRefused):
        two_step.check_code(dev_deps, maya, pyotp.TOTP(secret).at(dev_clock.now()))
