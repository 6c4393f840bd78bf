"""Therapist sign-in: salted scrypt hashes, throttled failures, password changes, new therapists.

Failed attempts are counted in DynamoDB (so every Lambda instance sees the same count),
per account and per client IP, in fixed 15-minute windows. Each attempt first reserves a
place with an atomic ADD and gives it back if the password was right, so the database,
not a read-then-write, decides when the limit is reached.
"""
from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import replace
from datetime import datetime, timezone
from typing import Callable

from werkzeug.security import check_password_hash, generate_password_hash

from portal import config
from portal.domain.errors import DomainError, ValidationError
from portal.domain.ids import new_id
from portal.domain.model import Therapist
from portal.domain.retention import SIGN_IN_COUNTER, expiry_epoch
from portal.interfaces import Deps
from portal.services.workspace.inputs import FormErrors, normalized_email

WINDOW_SECONDS = 15 * 60
ACCOUNT_LIMIT = 5  # the 6th failure for one account within a window is refused
IP_LIMIT = 20  # an office shares one address: a looser limit per IP
PASSWORD_MIN = 10
PASSWORD_MAX = 200
EMAIL_MAX = 254  # the longest address email allows; longer can't be an account's sign-in name
IP_MAX = 64
# Checked when the email is unknown, so a wrong email costs the same time as a wrong password.
_DECOY_HASH = None


class SignInFailed(DomainError):
    def __init__(self) -> None:
        super().__init__("That email and password don't match. Please check them and try again.")


class AccountInactive(SignInFailed):
    """The right password for a deactivated account: said plainly, since only its owner gets here."""

    def __init__(self) -> None:
        DomainError.__init__(self, "This account is switched off. Please ask the practice admin "
                                   "if you need it back.")


class TooManyAttempts(DomainError):
    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(f"Too many attempts. Please try again in {minutes} {unit}.")


def hash_password(password: str) -> str:
    # config.SCRYPT_N is read here, not imported by name, so the tests' lower cost applies.
    return generate_password_hash(password, method=f"scrypt:{config.SCRYPT_N}:8:1")


def verify_password(password_hash: str, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return check_password_hash(password_hash, password)
    except ValueError:  # an unreadable hash never signs anyone in
        return False


def session_stamp(therapist: Therapist) -> str:
    """Changes when the password changes or the therapist signs out, so older sessions
    (and any copy of their cookie) stop working."""
    secret = therapist.password_hash
    if therapist.session_key:  # none before the first sign-out: sessions from before still hold
        secret += "\0" + therapist.session_key
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def end_sessions(deps: Deps, therapist: Therapist) -> None:
    """Sign-out, on the server: a fresh session key ends this and every other open session."""
    deps.store.set_session_key(therapist.id, secrets.token_urlsafe(16))


def _window(now: datetime) -> tuple[int, datetime]:
    index = int(now.timestamp()) // WINDOW_SECONDS
    return index, datetime.fromtimestamp((index + 1) * WINDOW_SECONDS, timezone.utc)


def _minutes_left(now: datetime, window_end: datetime) -> int:
    return max(1, math.ceil((window_end - now).total_seconds() / 60))


def _reserve(deps: Deps, scope: str, subject: str, index: int, window_end: datetime,
             amount: int = 1) -> int:
    # expires_at lets DynamoDB's TTL clear old windows (a day: retention); the window number
    # keeps them apart, so an old window is never read again.
    return deps.store.count_attempt(scope, subject, index, amount,
                                    expiry_epoch(window_end, SIGN_IN_COUNTER))


def reserve_attempt(deps: Deps, scope: str, subject: str, limit: int = ACCOUNT_LIMIT) -> Callable[[], object]:
    """Count one attempt before checking it (TooManyAttempts past ``limit`` in this window).
    Returns the give-back to call when it succeeded, so only failures count."""
    now = deps.clock.now()
    index, window_end = _window(now)
    if _reserve(deps, scope, subject, index, window_end) > limit:
        raise TooManyAttempts(_minutes_left(now, window_end))
    return lambda: _reserve(deps, scope, subject, index, window_end, -1)


def sign_in(deps: Deps, email: str, password: str, client_ip: str) -> Therapist:
    """The therapist, or SignInFailed / TooManyAttempts (never saying which part was wrong)."""
    email = (email or "").strip().lower()
    if len(email) > EMAIL_MAX or len(password or "") > PASSWORD_MAX:
        raise SignInFailed()  # no account signs in with these: refused before any read or count
    now = deps.clock.now()
    index, window_end = _window(now)
    ip = (client_ip or "unknown")[:IP_MAX]
    if _reserve(deps, "ip", ip, index, window_end) > IP_LIMIT:
        raise TooManyAttempts(_minutes_left(now, window_end))
    if _reserve(deps, "acct", email, index, window_end) > ACCOUNT_LIMIT:
        raise TooManyAttempts(_minutes_left(now, window_end))
    therapist = deps.store.therapist_by_email(email) if email else None
    if therapist is None:
        verify_password(_decoy_hash(), password or "")
        raise SignInFailed()
    if not verify_password(therapist.password_hash, password or ""):
        raise SignInFailed()
    # A right password gives back its reservations: only failures count.
    _reserve(deps, "ip", ip, index, window_end, -1)
    _reserve(deps, "acct", email, index, window_end, -1)
    if not therapist.active:
        raise AccountInactive()
    return therapist


def _decoy_hash() -> str:
    global _DECOY_HASH
    if _DECOY_HASH is None:
        _DECOY_HASH = hash_password(secrets.token_urlsafe(16))
    return _DECOY_HASH


def check_new_password(new: str, repeat: str) -> None:
    if len(new) < PASSWORD_MIN:
        raise ValidationError(f"Please use at least {PASSWORD_MIN} characters.")
    if len(new) > PASSWORD_MAX:
        raise ValidationError(f"Please use at most {PASSWORD_MAX} characters.")
    if new != repeat:
        raise ValidationError("The two new passwords don't match.")


def change_password(deps: Deps, therapist: Therapist, current: str, new: str, repeat: str) -> Therapist:
    if not verify_password(therapist.password_hash, current or ""):
        raise ValidationError("Your current password isn't right.")
    check_new_password(new or "", repeat or "")
    if new == current:
        raise ValidationError("Please choose a password different from the current one.")
    updated = replace(therapist, password_hash=hash_password(new))
    deps.store.set_password_hash(therapist.id, updated.password_hash)
    return updated


def reset_password(deps: Deps, therapist: Therapist, temporary: str) -> Therapist:
    """An admin gives a colleague a fresh temporary password; their open sessions end."""
    updated = replace(therapist, password_hash=hash_password(temporary))
    deps.store.set_password_hash(therapist.id, updated.password_hash)
    return updated


def temporary_password() -> str:
    return secrets.token_urlsafe(12)


def add_therapist(deps: Deps, name: str, email: str, zone_name: str, role: str,
                  password: str) -> Therapist:
    """An admin adds a colleague with a temporary password they pass on in person."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Please enter the name clients will see."
    try:
        email = normalized_email(email, required=True)
    except ValidationError as problem:
        errors["email"] = str(problem)
    if role not in ("therapist", "admin"):
        errors["role"] = "Pick therapist or practice admin."
    if errors:
        raise FormErrors(errors)
    try:
        therapist = Therapist(new_id(8), name, email, (zone_name or "").strip(), role=role,
                              password_hash=hash_password(password))
    except ValidationError as problem:
        raise FormErrors({"timezone": str(problem)}) from None
    deps.store.add_therapist(therapist)
    return therapist
