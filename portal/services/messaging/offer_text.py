"""The text of a waitlist offer: minimum necessary (first name, practice, the time in the
client's zone, the mode, the link), one SMS of at most 160 GSM-7 characters, or an email."""
from __future__ import annotations

from portal.domain import wording
from portal.domain.model import Client, Mode, PracticeSettings
from portal.domain.waitlist import Opening
from portal.interfaces import Email
from portal.services.messaging.compose import fit_sms, render


def offer_values(opening: Opening, mode: Mode, client: Client, settings: PracticeSettings, link: str) -> dict:
    return dict(first_name=client.first_name, practice=settings.display_name,
                when=wording.message_when(opening.start, client.timezone),
                long_when=wording.when(opening.start, client.timezone),
                mode="video" if mode is Mode.TELE else "in person", link=link,
                contact_phone=settings.contact_phone)


def offer_sms(values: dict) -> str:
    return fit_sms("sms_offer.txt", **values)


def offer_email(values: dict, to: str) -> Email:
    return Email(to=to, subject=f"An earlier time opened: {values['when']}",
                 text=render("offer_email.txt", **values))
