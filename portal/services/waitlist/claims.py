"""Taking an offered time: by the offer link (GET shows, POST claims) or by a "Y" text.

The first claim wins in the same slot-claim transaction as booking: it moves the claimant's
later session into the freed time (its reminders rewritten, an audit event written) or, for
a client with no session yet, books one. The opening is marked claimed in that transaction,
which withdraws every other offer of it: their links then answer "someone took this time
just before you", kindly, with other open times. A claim costs three DynamoDB calls: the
offer's BatchGetItem, the session's BatchGetItem, the transaction.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from portal.domain.audit import Actor
from portal.domain.errors import DomainError, InvalidTransition, SlotTaken, SlotUnavailable
from portal.domain.model import Appointment, Availability, Client, Mode, PracticeSettings, Status, Therapist
from portal.domain.slots import Slot, closed_on
from portal.domain.waitlist import OPEN, OfferRef, Opening, WaitlistEntry
from portal.domain.wording import message_when
from portal.interfaces import Deps, StoreRecord
from portal.links import OFFER_SALT
from portal.services.client import notify
from portal.services.client.link_context import LinkNotFound
from portal.services.sessions import booking
from portal.services.waitlist.waves import still_free

OPEN_STATE, MINE, TAKEN, MOVED, LEFT = "open", "mine", "taken", "moved", "left"
ACTOR = Actor.client("offer")
OTHER_TIMES = 6


@dataclass
class Offer:
    opening: Opening
    client: Client
    therapist: Therapist
    availability: Availability
    settings: PracticeSettings
    entry: WaitlistEntry | None
    state: str = OPEN_STATE
    session: Appointment | None = None  # the session the time would replace
    mode: Mode | None = None
    other_times: list = field(default_factory=list)
    closed_day: bool = False  # the practice closed the offered day after the offer went out


def read_offer(deps: Deps, token: str, *, check_calendar: bool = True) -> Offer:
    """Raises LinkInvalid, LinkExpired (the time has come) or LinkNotFound."""
    claims = deps.links.read(token, deps.clock.now(), salt=OFFER_SALT)
    return offer_for(deps, claims.appointment_id, claims.client_id, claims.therapist_id,
                     check_calendar=check_calendar)


def offer_for(deps: Deps, opening_id: str, client_id: str, therapist_id: str, *,
              check_calendar: bool = True) -> Offer:
    got = deps.store.load_offer(opening_id, client_id, therapist_id)
    opening, client, therapist = got.opening, got.client, got.therapist
    if (opening is None or client is None or therapist is None or client.id not in opening.offered_to
            or opening.therapist_id != therapist.id or client.therapist_id != therapist.id):
        raise LinkNotFound()
    offer = Offer(opening, client, therapist, got.availability, got.settings, got.entry)
    offer.state = _state(deps, offer, check_calendar)
    offer.mode = _mode(offer)
    return offer


def _state(deps: Deps, offer: Offer, check_calendar: bool) -> str:
    opening, entry = offer.opening, offer.entry
    if opening.claimed_by == offer.client.id:
        return MINE
    if opening.status != OPEN:
        return TAKEN
    if closed_on(offer.settings, opening.start, offer.therapist.timezone):
        offer.closed_day = True  # an offer sent before the practice closed that day can't be taken
        return TAKEN
    if entry is None or not entry.is_live(deps.clock.now()):
        return LEFT
    if not check_calendar:  # a claim: its own read of the session and its transaction settle it
        return OPEN_STATE
    if entry.appointment_id:
        offer.session = deps.store.get_appointment(entry.appointment_id)
        session = offer.session
        if session is None or not session.status.is_open or session.start <= opening.start:
            return MOVED

    if not still_free(deps, opening, offer.therapist):  # booked again: say so before the tap
        return TAKEN
    return OPEN_STATE


def _mode(offer: Offer) -> Mode:
    modes = offer.opening.modes
    wanted = [offer.entry.prefs.mode if offer.entry else None,
              offer.session.mode if offer.session else None]
    return next((m for m in wanted if m in modes), sorted(modes, key=lambda m: m.value)[0])


def claim(deps: Deps, token: str) -> Offer:
    """POST from the offer page; the answer's ``state`` says how it went."""
    return _claim(deps, read_offer(deps, token, check_calendar=False))


def _claim(deps: Deps, offer: Offer) -> Offer:
    if offer.state != OPEN_STATE:
        return with_other_times(deps, offer)
    try:
        after = _move_or_book(deps, offer)
    except (SlotTaken, SlotUnavailable):
        offer.state = TAKEN
        return with_other_times(deps, offer)
    except DomainError:  # the session changed a moment ago (another tap, another device)
        again = offer_for(deps, offer.opening.id, offer.client.id, offer.therapist.id)
        again.state = again.state if again.state != OPEN_STATE else TAKEN
        return with_other_times(deps, again)
    offer.state, offer.session = MINE, after
    return offer


def claim_id(opening: Opening, client_id: str) -> str:
    """A session booked from an offer: the same id for a double tap, so it books once."""
    return hashlib.sha256(f"offer:{opening.id}:{client_id}".encode()).hexdigest()[:10]


def _records(deps: Deps, offer: Offer, appointment_id: str) -> list[StoreRecord]:
    now = deps.clock.now()
    previous = offer.session.start if offer.session else None
    claimed = offer.opening.claimed(offer.client.id, appointment_id, now, previous)
    assert offer.entry is not None  # only a client on the list is offered a time
    return [deps.store.opening_record(claimed), deps.store.waitlist_left_record(offer.entry)]


def _move_or_book(deps: Deps, offer: Offer) -> Appointment:
    opening, client, therapist = offer.opening, offer.client, offer.therapist
    slot = Slot(opening.start, opening.end, opening.modes)
    assert offer.entry is not None and offer.mode is not None  # set by offer_for
    if offer.entry.appointment_id:
        ctx = deps.store.load_context(offer.entry.appointment_id, client.id, therapist.id)
        if ctx is None or not ctx.appointment.status.is_open or ctx.appointment.start <= opening.start:
            raise InvalidTransition(Status.CANCELLED, Status.CANCELLED)
        offer.session = ctx.appointment
        after = booking.reschedule(deps, ctx, opening.start, ctx.appointment.version, actor=ACTOR,
                                   mode=offer.mode, slots=[slot],
                                   extra=_records(deps, offer, ctx.appointment.id))
        notify.send_change(deps, "rescheduled", after, client, therapist, offer.settings, asked_by_client=True)
        return after
    new_id = claim_id(opening, client.id)
    how = booking.HowRecorded(appointment_id=new_id, status=Status.CONFIRMED,
                              extra=tuple(_records(deps, offer, new_id)))
    booked = booking.record_booking(deps, therapist, client, opening.start, offer.mode, actor=ACTOR, how=how)
    notify.send_change(deps, "rebooked", booked, client, therapist, offer.settings, asked_by_client=True)
    return booked


def with_other_times(deps: Deps, offer: Offer) -> Offer:
    """Other open times of the same therapist, for an offer that can't be taken (one Query)."""
    if offer.state in (TAKEN, MOVED):
        ignore = offer.entry.appointment_id if offer.entry else None
        if offer.session is None and ignore:  # so the page can link to the session's own picker
            offer.session = deps.store.get_appointment(ignore)
        times = booking.open_times(deps, offer.therapist, offer.availability, offer.settings,
                                   ignore_appointment_id=ignore)
        offer.other_times = [s for s in times if s.start != offer.opening.start
                             and _sooner(offer, s.start)][:OTHER_TIMES]
    return offer


def _sooner(offer: Offer, start: datetime) -> bool:
    """A client who lost a race wanted an earlier time: a later one is no help to them."""
    session = offer.session
    return (offer.state != TAKEN or session is None or not session.status.is_open
            or start < session.start)


# --- by text ------------------------------------------------------------------------------------
def outstanding_offer(deps: Deps, client: Client) -> OfferRef | None:
    """The offer a "Y" would claim: the last one sent, while its time has not come (one GetItem)."""
    entry = deps.store.waitlist_entry(client.id, consistent=True)
    now = deps.clock.now()
    if entry is None or entry.offer is None or entry.offer.until <= now or not entry.is_live(now):
        return None
    return entry.offer


def claim_by_text(deps: Deps, client: Client, offer_ref: OfferRef) -> Offer | None:
    try:
        offer = offer_for(deps, offer_ref.opening_id, client.id, client.therapist_id,
                          check_calendar=False)
    except LinkNotFound:
        return None
    return _claim(deps, offer)


CLAIM_WORDS, STOP_WORDS = {"Y", "YES"}, {"N", "NO"}
TEXT_ANSWERS = {MINE: "offer_claimed", TAKEN: "offer_taken", MOVED: "offer_moved", LEFT: "offer_moved"}


def answer_text(deps: Deps, client: Client, command: str) -> tuple[str, dict[str, Any]] | None:
    """A "Y" or "N" that answers a waitlist offer: (reply kind, values), or None when the text
    is about something else. "Y" claims only while an offer to this client stands (otherwise
    it confirms the next session as before); "N" takes the client off the list."""
    if command not in CLAIM_WORDS | STOP_WORDS:
        return None
    if command in STOP_WORDS:
        return ("offers_stopped", {}) if deps.store.remove_waitlist_entry(client.id) else None
    ref = outstanding_offer(deps, client)
    offer = claim_by_text(deps, client, ref) if ref else None
    if offer is None:
        return None

    session = offer.session if offer.session is not None and offer.session.status.is_open else None
    return TEXT_ANSWERS.get(offer.state, "offer_taken"), {
        "when": message_when(offer.opening.start, client.timezone),
        "link": deps.links.appointment_url(session) if session else ""}


__all__ = ["read_offer", "claim", "Offer", "claim_by_text", "outstanding_offer", "answer_text"]
