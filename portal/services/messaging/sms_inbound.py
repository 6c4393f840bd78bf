"""Replies to our texts, as AWS End User Messaging two-way SMS publishes them to SNS.

``C``/``YES``/``confirm`` (any case, spaces, punctuation) confirms the sender's next
session; ``R`` answers with the reschedule link; ``T`` switches it to video where the
therapist offers that and answers with the join link; STOP (and the other carrier
opt-out words, CANCEL among them), START and HELP work as carriers require; anything
else goes to the therapist's inbox with a short acknowledgement. A number that matches
no client gets a generic answer that names nobody. Each inbound message is handled once
and never lost (SNS may deliver twice; a failure must be retried, a lost STOP is a
compliance failure): see ``portal.services.messaging.inbound``.
"""
from __future__ import annotations

import json
import logging
import re
import time as _time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from portal.domain.audit import Actor
from portal.domain.errors import DomainError
from portal.domain.ids import new_id
from portal.domain.model import Appointment, Client, InboxItem, Mode
from portal.domain.wording import message_when
from portal.interfaces import Deps, Throttled
from portal.services.client import notes as client_notes
from portal.services.messaging.compose import reply_sms
from portal.services.messaging.inbound import LOCK_FOR, handle_once
from portal.services.sessions import booking
from portal.services.waitlist.claims import answer_text

log = logging.getLogger(__name__)

CONFIRM = {"C", "Y", "YES", "CONFIRM", "CONFIRMED", "OK", "OKAY"}
RESCHEDULE = {"R", "RESCHEDULE", "CHANGE"}
VIDEO = {"T", "TELE", "VIDEO", "TELETHERAPY"}
STOP = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"}
START = {"START", "UNSTOP"}
HELP = {"HELP", "INFO"}
LATE = re.compile(r"^LATE(5|10|15)?$")  # "late 10", "Late-10 min" reads as LATE10 (MIN dropped)
NEXT_SESSION_WITHIN = timedelta(days=60)
TEXT_MAX = 500


@dataclass(frozen=True)
class InboundSms:
    origination: str  # the client's number
    body: str
    destination: str = ""  # our number
    message_id: str = ""


def messages_from_event(event: Any) -> list[InboundSms]:
    """SNS records whose Message is the End User Messaging JSON; unreadable ones are skipped."""
    found = []
    for record in (event or {}).get("Records", []) if isinstance(event, dict) else []:
        try:
            payload = json.loads(record["Sns"]["Message"])
            found.append(from_payload(payload))
        except (KeyError, TypeError, ValueError):
            log.warning("ignoring an SNS record that is not an inbound SMS")
    return found


def from_payload(payload: dict) -> InboundSms:
    origination = str(payload["originationNumber"])
    return InboundSms(origination=origination, body=str(payload.get("messageBody") or ""),
                      destination=str(payload.get("destinationNumber") or ""),
                      message_id=str(payload.get("inboundMessageId") or ""))


def command_of(body: str) -> str:
    """"  c. " -> "C", "Yes!" -> "YES", "Confirm" -> "CONFIRM": letters and digits only, upper case."""
    return re.sub(r"[^A-Z0-9]", "", (body or "").upper())


def e164(number: str) -> str:
    import phonenumbers  # lazy: ~140 ms of number metadata, kept off the cold start

    try:
        parsed = phonenumbers.parse(number, None if number.startswith("+") else "US")
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return number.strip()


# --- handling one message ---------------------------------------------------------------------
def handle(deps: Deps, sms: InboundSms, *, sleep: Callable[[float], object] = _time.sleep,
           lock_for: timedelta = LOCK_FOR) -> str:
    """Act on one inbound text and answer it, once; returns what happened (for the run's log).

    Raises when it fails (the platform retries) or when another run holds it (InboundBusy)."""
    return handle_once(deps, "sms", sms.message_id, lambda: _handle(deps, sms, sleep),
                       duplicate="duplicate", lock_for=lock_for)


def _handle(deps: Deps, sms: InboundSms, sleep: Callable[[float], object]) -> str:
    now = deps.clock.now()
    number = e164(sms.origination)
    command = command_of(sms.body)
    clients = deps.store.clients_by_phone(number)
    if not clients:
        kind = "unknown_stop" if command in STOP else "unknown_help" if command in HELP else "unknown"
        _reply(deps, number, sleep, kind)
        return kind
    if command in STOP or command in START:
        opted_out = command in STOP
        for client in clients:
            if client.sms_opted_out != opted_out:
                deps.store.set_client_flags(client.id, sms_opted_out=opted_out)
    client, upcoming = _client_and_session(deps, clients, now)
    settings = deps.store.get_settings()
    values = {"first_name": client.first_name, "practice": settings.display_name,
              "contact_phone": settings.contact_phone}
    if command in STOP or command in START or command in HELP:
        kind = "stop" if command in STOP else "start" if command in START else "help"
        _reply(deps, number, sleep, kind, **values)  # carriers require these answers
        return kind

    kind, more = answer_text(deps, client, command) or _act(deps, client, upcoming, command, sms.body, now)
    if client.sms_opted_out:
        log.info("not answering a client who opted out of texts")
    else:
        _reply(deps, number, sleep, kind, **values, **more)
    return kind


def _client_and_session(deps: Deps, clients: list[Client], now: datetime) -> tuple[Client, Appointment | None]:
    """Of the clients on this number (a family may share one), the one with the soonest session."""
    best: tuple[Client, Appointment | None] | None = None
    for client in clients:
        upcoming = deps.store.client_appointments(client.id, now, now + NEXT_SESSION_WITHIN)
        session = next((a for a in upcoming if a.status.is_open and a.start > now), None)
        if best is None or (session and (best[1] is None or session.start < best[1].start)):
            best = (client, session)
    assert best is not None  # there is at least one client on the number
    return best


def _act(deps: Deps, client: Client, upcoming: Appointment | None, command: str, body: str,
         now: datetime) -> tuple[str, dict[str, Any]]:
    late = LATE.match(command.removesuffix("MINUTES").removesuffix("MINS").removesuffix("MIN"))
    if late:
        return _running_late(deps, client, int(late.group(1) or 10), now)
    if command not in CONFIRM | RESCHEDULE | VIDEO:
        _to_inbox(deps, client, upcoming, body, now)
        return "inbox", {}
    if upcoming is None:
        return "no_session", {}
    ctx = deps.store.load_context(upcoming.id, client.id, upcoming.therapist_id)
    if ctx is None:
        return "no_session", {}
    links = deps.links
    more = {"when": message_when(upcoming.start, client.timezone),
            "link": links.appointment_url(upcoming),
            "reschedule_link": links.appointment_url(upcoming, "/reschedule"), "join_url": ""}
    try:
        if command in CONFIRM:
            done = booking.confirm(deps, ctx, ctx.appointment.version, actor=Actor.client("sms"))
            return ("confirmed" if done else "already_confirmed"), more
        if command in RESCHEDULE:
            return "reschedule", more
        if ctx.appointment.mode is not Mode.TELE:
            if Mode.TELE not in booking.modes_available(ctx):
                return "no_video", more
            ctx.appointment = booking.switch_mode(deps, ctx, Mode.TELE, ctx.appointment.version,
                                                  actor=Actor.client("sms"))
        return "video", {**more, "join_url": ctx.appointment.join_url}
    except DomainError:  # changed a moment ago: the page shows where it stands
        log.info("an SMS command met a session that just changed")
        return "reschedule", more


def _running_late(deps: Deps, client: Client, minutes: int, now: datetime) -> tuple[str, dict[str, Any]]:
    """SMS "LATE 10": the same as the page's button, for the session starting around now."""
    near = deps.store.client_appointments(client.id, now - client_notes.LATE_UNTIL,
                                          now + client_notes.LATE_FROM)
    session = next((a for a in near if client_notes.can_say_late(a, now)), None)
    if session is None:
        return "late_no_session", {}
    therapist = deps.store.get_therapist(session.therapist_id)
    assert therapist is not None  # a session's therapist is always stored
    try:
        client_notes.running_late(deps, session, therapist, deps.store.get_settings(), minutes)
    except DomainError:  # five notes today already: the practice's phone is in the answer
        return "late_paused", {}
    return "late", {"minutes": minutes}


def _to_inbox(deps: Deps, client: Client, upcoming: Appointment | None, body: str, now: datetime) -> None:
    deps.store.add_inbox(InboxItem(
        therapist_id=client.therapist_id, at=now, kind="sms", client_id=client.id,
        appointment_id=upcoming.id if upcoming else "", text=(body or "").strip()[:TEXT_MAX],
        id=new_id()))


def _reply(deps: Deps, to: str, sleep: Callable[[float], object], kind: str, **values: Any) -> None:
    text = reply_sms(kind, **values)
    for attempt in range(3):
        try:
            deps.notifier.send_sms(to, text)
            return
        except Throttled:
            sleep(0.5 * 2 ** attempt)
        except Exception:  # the action stands; the answer is a courtesy
            log.exception("could not answer an inbound text")
            return
    log.warning("could not answer an inbound text: throttled")


def handle_event(deps: Deps, event: Any, **options: Any) -> dict:
    outcomes = [handle(deps, sms, **options) for sms in messages_from_event(event)]
    if isinstance(event, dict) and "originationNumber" in event:  # the dev panel's shortcut
        outcomes.append(handle(deps, from_payload(event), **options))
    return {"received": len(outcomes), "outcomes": outcomes}
