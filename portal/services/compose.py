"""Message text. Only the minimum: first name, practice name, day and time in the client's zone,
and links. No last name, no clinical words, no therapist specialty."""
from __future__ import annotations

from portal.domain.model import Channel
from portal.domain.timemath import to_local
from portal.interfaces import Email


def when_text(instant, zone_name: str) -> str:
    local = to_local(instant, zone_name)
    return f"{local:%a %b} {local.day}, {local:%I:%M %p}".replace(" 0", " ").replace(":00 ", " ") \
        + f" {local.tzname()}"


def send_reminder(deps, appointment, message):
    """Send one reminder on its channel; returns the provider's id, or None to skip."""
    store = deps.store
    client = store.get_client(appointment.client_id)
    if client is None or not client.wants(message.channel):
        return None  # opted out or changed channels since it was planned
    settings = store.get_settings()
    link = deps.links.appointment_url(appointment)
    when = when_text(appointment.start, client.timezone)
    practice = settings.display_name
    if message.channel is Channel.SMS:
        return deps.notifier.send_sms(
            client.phone, f"{practice}: Hi {client.first_name}, see you {when}. Confirm or change: {link}")
    if message.channel is Channel.VOICE:
        return deps.notifier.send_voice(
            client.phone, f"Hello {client.first_name}, this is {practice} with a reminder of your "
                          f"session on {when}. We sent you a link to confirm or change it. Thank you.")
    text = (f"Hi {client.first_name},\n\nThis is a reminder of your session on {when}.\n\n"
            f"Confirm, change the time, switch to video, or cancel here:\n{link}\n\n{practice}\n")
    return deps.notifier.send_email(Email(client.email, f"Your session on {when}", text))
