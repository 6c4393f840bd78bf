"""A therapist's clients: added and edited from the workspace or the CSV import."""
from __future__ import annotations

from typing import Any, Callable

from portal.domain.errors import ValidationError
from portal.domain.ids import new_id
from portal.domain.model import Channel, Client, Therapist
from portal.domain.timemath import zone
from portal.interfaces import Deps
from portal.services.workspace.inputs import FormErrors, normalized_email, normalized_phone, parse_channels

NAME_MAX = 80


def client_from_input(values: dict, therapist_id: str, client_id: str, *, current: Client | None = None) -> Client:
    """A validated Client from raw strings; FormErrors lists every field that is wrong."""
    errors = {}
    first = (values.get("first_name") or "").strip()
    last = (values.get("last_name") or "").strip()
    if not first:
        errors["first_name"] = "Please enter a first name."
    for field, text in (("first_name", first), ("last_name", last)):
        if len(text) > NAME_MAX:
            errors[field] = f"Please keep names under {NAME_MAX} characters."
    parsed: dict[str, Any] = {}
    parsers: tuple[tuple[str, Callable[[Any], Any]], ...] = (
        ("email", normalized_email), ("phone", normalized_phone), ("channels", parse_channels))
    for field, parse in parsers:
        try:
            parsed[field] = parse(values.get(field) or ("" if field != "channels" else ()))
        except ValidationError as problem:
            errors[field] = str(problem)
    try:
        zone((values.get("timezone") or "").strip())
    except ValidationError as problem:
        errors["timezone"] = str(problem)
    if not errors:
        errors.update(_channel_problems(parsed, values))
    if errors:
        raise FormErrors(errors)
    return Client(
        id=client_id, therapist_id=therapist_id, first_name=first, last_name=last,
        email=parsed["email"], phone=parsed["phone"], timezone=values["timezone"].strip(),
        channels=parsed["channels"] or (Channel.EMAIL,), sms_consent=bool(values.get("sms_consent")),
        sms_opted_out=current.sms_opted_out if current else False,
        checkins_enabled=current.checkins_enabled if current else True,
        # A bounced address stays blocked until the therapist enters a different one.
        email_blocked=bool(current and current.email_blocked and current.email == parsed["email"]),
        sms_unreachable=bool(current and current.sms_unreachable and current.phone == parsed["phone"]),
    )


def _channel_problems(parsed: dict, values: dict) -> dict:
    channels = parsed["channels"] or (Channel.EMAIL,)
    if Channel.EMAIL in channels and not parsed["email"]:
        return {"email": "Reminders by email need an email address."}
    if (Channel.SMS in channels or Channel.VOICE in channels) and not parsed["phone"]:
        return {"phone": "Texts and calls need a phone number."}
    if Channel.SMS in channels and not values.get("sms_consent"):
        return {"sms_consent": "Texts need the client's consent: tick the box, or leave texts off."}
    return {}


def add_client(deps: Deps, therapist: Therapist, values: dict, client_id: str | None = None) -> Client:
    client = client_from_input(values, therapist.id, client_id or new_id(8))
    deps.store.add_client(client)
    return client


def update_client(deps: Deps, current: Client, values: dict) -> Client:
    client = client_from_input(values, current.therapist_id, current.id, current=current)
    deps.store.update_client(client)
    if current.sms_unreachable and not client.sms_unreachable:  # a new number: try it
        deps.store.set_client_flags(client.id, sms_unreachable=False)
    return client
