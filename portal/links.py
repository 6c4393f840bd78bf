"""Signed client links: short enough for an SMS, expiring a while after the session.

The token names the appointment, its client and its therapist (so the page reads
everything in one BatchGetItem) and carries its own expiry; itsdangerous signs it
with a salt per purpose, so a token made for one purpose opens nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from itsdangerous import BadSignature, Signer

from portal.domain.model import Appointment
from portal.domain.waitlist import Opening

APPOINTMENT_SALT = "attune.appointment-link"
CHECKIN_SALT = "attune.checkin-link"
FEED_SALT = "attune.calendar-feed"
OFFER_SALT = "attune.waitlist-offer"  # names an opening and the client it was offered to


@dataclass(frozen=True)
class LinkClaims:
    appointment_id: str
    client_id: str
    therapist_id: str
    expires_at: datetime


class LinkInvalid(Exception):
    """Tampered or unknown: nothing in it can be trusted."""


class LinkExpired(Exception):
    """Genuine but past its time; the client needs a fresh link."""

    def __init__(self, claims: LinkClaims) -> None:
        self.claims = claims
        super().__init__("link expired")


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


class Links:
    def __init__(self, secret_key: str, base_url: str, ttl_days: int = 7) -> None:
        self.base_url = base_url.rstrip("/")
        self.ttl = timedelta(days=ttl_days)
        self._signers = {salt: Signer(secret_key, salt=salt, sep=".")
                         for salt in (APPOINTMENT_SALT, CHECKIN_SALT, FEED_SALT, OFFER_SALT)}

    def token(self, appointment: Appointment, salt: str = APPOINTMENT_SALT) -> str:
        expires = int((appointment.end + self.ttl).timestamp())
        payload = f"{appointment.id}-{appointment.client_id}-{appointment.therapist_id}-{_b36(expires)}"
        return self._signers[salt].sign(payload).decode()

    def appointment_url(self, appointment: Appointment, path: str = "") -> str:
        """Always from BASE_URL, never from a request's Host header."""
        return f"{self.base_url}/a/{self.token(appointment)}{path}"

    def checkin_url(self, appointment: Appointment) -> str:
        return f"{self.base_url}/c/{self.token(appointment, CHECKIN_SALT)}"

    def feed_token(self, therapist_id: str, feed_key: str) -> str:
        """A therapist's calendar-feed token: signed over their id and their current feed key,
        so rotating the key (stored) revokes every URL made before."""
        return self._signers[FEED_SALT].sign(f"{therapist_id}-{feed_key}").decode()

    def feed_url(self, therapist_id: str, feed_key: str) -> str:
        return f"{self.base_url}/t/feed/{self.feed_token(therapist_id, feed_key)}.ics"

    def read_feed(self, token: str) -> tuple[str, str]:
        """(therapist id, feed key) from a genuine token; LinkInvalid otherwise."""
        try:
            therapist_id, feed_key = self._signers[FEED_SALT].unsign(token.encode()).decode().rsplit("-", 1)
        except (BadSignature, ValueError, UnicodeError):
            raise LinkInvalid() from None
        return therapist_id, feed_key

    def offer_url(self, opening: Opening, client_id: str) -> str:
        """A waitlist offer: valid until the offered time starts (the claim settles the rest)."""
        payload = f"{opening.id}-{client_id}-{opening.therapist_id}-{_b36(int(opening.start.timestamp()))}"
        return f"{self.base_url}/o/{self._signers[OFFER_SALT].sign(payload).decode()}"

    def read(self, token: str, now: datetime, salt: str = APPOINTMENT_SALT) -> LinkClaims:
        try:
            payload = self._signers[salt].unsign(token.encode()).decode()
            appointment_id, client_id, therapist_id, expires = payload.split("-")
            claims = LinkClaims(appointment_id, client_id, therapist_id,
                                datetime.fromtimestamp(int(expires, 36), timezone.utc))
        except (BadSignature, ValueError, UnicodeError):
            raise LinkInvalid() from None
        if now >= claims.expires_at:
            raise LinkExpired(claims)
        return claims
