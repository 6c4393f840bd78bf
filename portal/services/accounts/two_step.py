"""Two-step sign-in (TOTP, RFC 6238): enrolment, the code after the password, recovery codes,
turning it off, and the practice-wide requirement.

A code is good for its 30-second step and one step either side (a phone's clock drifts). Each
step is used once: the store keeps the last step used and a conditional write refuses it again,
so a code seen over a shoulder, or sent twice at once, passes once. Recovery codes are stored
hashed and spent by a conditional write too. Wrong codes are counted like wrong passwords
(services/accounts/sign_in.py's counters): the sixth within 15 minutes is refused.
"""
from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass, replace

from portal.domain.errors import DomainError, ValidationError
from portal.domain.model import PracticeSettings, Therapist
from portal.interfaces import Deps
from portal.services.accounts import sign_in

STEP_SECONDS = 30
DRIFT_STEPS = 1  # a code from the step before or after now is still accepted
RECOVERY_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_LENGTH = 10  # about 50 bits each
# Recovery codes are long and random, so a quicker salted hash than a password's is enough
# (ten are checked at a time); werkzeug's, as for passwords.
RECOVERY_HASH = "pbkdf2:sha256:60000"
CODE_MAX = 40  # what a code field may hold: a recovery code with spaces and dashes fits
ISSUER = "Attune"
# How long the half-signed-in state lasts: between the password and the code, or the enrolment
# a practice requires (scanning a code with a new app takes longer).
PENDING_MINUTES = {"code": 5, "enrol": 15}
THROTTLE_SCOPE = "code"
_SECRET = re.compile(r"^[A-Z2-7]{32}$")


class CodeRefused(DomainError):
    """A code that is wrong, already used, or unreadable: the words say which, plainly."""


WRONG = ("That code didn't work. Please enter the 6-digit code your authenticator app shows "
         "now, or one of your recovery codes.")
USED = "That code was just used. Please wait for the next code in your app and enter that one."


@dataclass(frozen=True)
class Enrolment:
    """A fresh secret to set up, as text and as the address an authenticator app scans."""

    secret: str
    uri: str


@dataclass(frozen=True)
class SecondStep:
    """A passed second step: how many recovery codes are left if one was spent (else None)."""

    recovery_left: int | None = None


def enrolled(therapist: Therapist) -> bool:
    return bool(therapist.totp_secret)


def next_step(deps: Deps, therapist: Therapist) -> str | None:
    """After the right password: "code" (enrolled), "enrol" (required but not set up) or None."""
    if enrolled(therapist):
        return "code"
    return "enrol" if deps.store.get_settings().two_step_required else None


def pending_expired(step: str, issued: int, now: int) -> bool:
    """Whether a half-signed-in state (step, issued at) is too old, or from the future."""
    return not issued <= now + 60 or now - issued > PENDING_MINUTES.get(step, 0) * 60


def new_enrolment(therapist: Therapist) -> Enrolment:
    """A new secret to show (nothing is stored until a code from it is entered)."""
    import pyotp  # lazy: only two-step sign-in needs it

    secret = pyotp.random_base32()  # 32 characters: 160 bits, as RFC 4226 recommends
    return enrolment_for(therapist, secret)


def enrolment_for(therapist: Therapist, secret: str) -> Enrolment:
    import pyotp  # lazy: only two-step sign-in needs it

    return Enrolment(secret, pyotp.TOTP(secret).provisioning_uri(name=therapist.email, issuer_name=ISSUER))


def enrol(deps: Deps, therapist: Therapist, secret: str, code: str) -> list[str]:
    """Turn it on once a code from the new secret is right; returns the recovery codes,
    in plain text this once (only their hashes are kept)."""
    secret = (secret or "").strip().upper()
    if not _SECRET.match(secret):
        raise ValidationError("The setup key on this page was changed. Please reload the page and start again.")
    if enrolled(therapist):
        raise ValidationError("Two-step sign-in is already on for you.")
    give_back = sign_in.reserve_attempt(deps, THROTTLE_SCOPE, therapist.id)
    step = _matching_step(deps, secret, _digits(code))
    if step is None:
        raise CodeRefused("That code didn't work. Please enter the 6-digit code your app shows now.")
    codes = [_recovery_code() for _ in range(RECOVERY_COUNT)]
    deps.store.enrol_two_step(therapist.id, secret, step, [_hash(c) for c in codes])
    give_back()
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def check_code(deps: Deps, therapist: Therapist, code: str) -> SecondStep:
    """The second step: a current code, or an unused recovery code (spent by using it).
    CodeRefused with plain words, or sign_in.TooManyAttempts."""
    if not enrolled(therapist):
        raise CodeRefused(WRONG)
    give_back = sign_in.reserve_attempt(deps, THROTTLE_SCOPE, therapist.id)
    raw = (code or "")[:CODE_MAX]
    digits = _digits(raw)
    if digits is not None:
        _use_code(deps, therapist, digits)
        passed = SecondStep()
    else:
        passed = SecondStep(recovery_left=_use_recovery(deps, therapist, raw))
    give_back()
    return passed


def turn_off(deps: Deps, therapist: Therapist, password: str, code: str) -> None:
    """Needs the password and a current code (or an unused recovery code, for a lost phone)."""
    if deps.store.get_settings().two_step_required:
        raise ValidationError("Your practice requires two-step sign-in for everyone, so it stays on.")
    if not sign_in.verify_password(therapist.password_hash, password or ""):
        raise ValidationError("Your password isn't right.")
    check_code(deps, therapist, code)
    deps.store.end_two_step(therapist.id)


def set_requirement(deps: Deps, required: bool, version: int) -> PracticeSettings:
    """The admin's practice-wide switch, at the settings version the page was opened with."""
    current = deps.store.get_settings()
    return deps.store.save_settings(replace(current, two_step_required=bool(required), version=version))


def _use_code(deps: Deps, therapist: Therapist, digits: str) -> None:
    step = _matching_step(deps, therapist.totp_secret, digits)
    if step is None:
        raise CodeRefused(WRONG)
    if step <= therapist.totp_last_step or not deps.store.use_code_step(therapist.id, step):
        raise CodeRefused(USED)


def _use_recovery(deps: Deps, therapist: Therapist, raw: str) -> int:
    """The number of recovery codes left after spending this one."""
    from werkzeug.security import check_password_hash

    typed = re.sub(r"[\s-]", "", raw).lower()
    unused = list(therapist.recovery_hashes)
    if len(typed) != RECOVERY_LENGTH:
        raise CodeRefused(WRONG)
    match = next((h for h in unused if check_password_hash(h, typed)), None)
    if match is None:
        raise CodeRefused(WRONG)
    left = [h for h in unused if h != match]
    if not deps.store.use_recovery_code(therapist.id, unused, left):
        raise CodeRefused("That recovery code was just used. Each one works once: please use another.")
    return len(left)


def _matching_step(deps: Deps, secret: str, digits: str | None) -> int | None:
    """The 30-second step whose code these digits are (now, or one step either side)."""
    import pyotp  # lazy: only two-step sign-in needs it

    if digits is None:
        return None
    # The phone's app knows only real time, so codes follow it even when the dev clock moves.
    totp, now = pyotp.TOTP(secret), int(deps.clock.wall_now().timestamp()) // STEP_SECONDS
    for step in (now, now - DRIFT_STEPS, now + DRIFT_STEPS):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def _digits(code: str | None) -> str | None:
    """Six digits, as typed with or without a space in the middle; None if it isn't that."""
    compact = re.sub(r"\s", "", (code or "")[:CODE_MAX])
    return compact if re.fullmatch(r"[0-9]{6}", compact) else None


def _recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))


def _hash(code: str) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(code, method=RECOVERY_HASH)
