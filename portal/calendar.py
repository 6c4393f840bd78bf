"""A session as an RFC 5545 calendar file, made with the icalendar library.

The event carries a stable UID (the appointment id) and SEQUENCE = the appointment's
version, so a calendar that imported an earlier file updates the same event when a
session moves, switches to video or is cancelled. Times are written in the client's
own zone (TZID) with a VTIMEZONE covering the session's year either side.
Reminder emails attach ``ics_bytes(...)`` too.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from portal.domain.model import Appointment, Client, Mode, PracticeSettings, Status, Therapist
from portal.domain.timemath import zone

PRODID = "-//Attune//Client sessions//EN"
UID_DOMAIN = "attune"
CONTENT_TYPE = "text/calendar"


def uid_for(appointment: Appointment) -> str:
    return f"{appointment.id}@{UID_DOMAIN}"


def filename_for(appointment: Appointment, zone_name: str | None = None) -> str:
    """Named by the session's date on the client's own calendar: attune-2026-12-01.ics."""
    local = appointment.start.astimezone(zone(zone_name or "UTC"))
    return f"attune-{local:%Y-%m-%d}.ics"


def summary_for(settings: PracticeSettings) -> str:
    # The file travels by email too: the practice's name only, no therapist, nothing clinical.
    return f"Session at {settings.display_name}"


def ics_bytes(appointment: Appointment, client: Client, therapist: Therapist,
              settings: PracticeSettings, link: str, *, now: datetime | None = None) -> bytes:
    """The calendar file for one session. ``link`` is the client's page for it (fresh)."""
    from icalendar import Calendar, Event  # lazy: ~200 ms, only when a calendar file is made

    tz = zone(client.timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid_for(appointment))
    event.add("sequence", appointment.version)
    event.add("dtstamp", (now or appointment.created_at or appointment.start).astimezone(zone("UTC")))
    event.add("dtstart", appointment.start.astimezone(tz))
    event.add("dtend", appointment.end.astimezone(tz))
    event.add("summary", summary_for(settings))
    event.add("status", "CANCELLED" if not appointment.status.is_open else "CONFIRMED")
    event.add("transp", "OPAQUE")
    where, details = _where_and_details(appointment, settings, link)
    if where:
        event.add("location", where)
    if appointment.mode is Mode.TELE and appointment.join_url:
        event.add("url", appointment.join_url)
    event.add("description", details)
    calendar.add_component(event)
    year = timedelta(days=366)
    calendar.add_missing_timezones(first_date=(appointment.start - year).date(),
                                   last_date=(appointment.end + year).date())
    return calendar.to_ical()



def _where_and_details(appointment: Appointment, settings: PracticeSettings, link: str) -> tuple[str, str]:
    lines = []
    if appointment.status in (Status.CANCELLED, Status.LATE_CANCELLED):
        lines.append("This session was cancelled.")
    if appointment.mode is Mode.TELE:
        where = appointment.join_url or "Video (the link will be sent to you)"
        if appointment.join_url:
            lines.append(f"Join by video: {appointment.join_url}")
    else:
        where = appointment.location or settings.display_name
        lines.append(f"In person at {where}")
    lines.append(f"Confirm or change: {link}")
    if settings.contact_phone:
        lines.append(f"{settings.display_name}: {settings.contact_phone}")
    return where, "\n".join(lines)


# --- "Add to Google Calendar" / "Add to Outlook": each service's documented event template -----
GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"


@dataclass(frozen=True)
class CalendarLinks:
    google: str
    outlook: str


def calendar_links(appointment: Appointment, therapist: Therapist, settings: PracticeSettings,
                   link: str) -> CalendarLinks:
    """Plain links, no script: the minimum a calendar needs (who by first name, where, the page)."""
    title = f"Session with {therapist.name}"
    where, _ = _where_and_details(appointment, settings, link)
    details = f"{settings.display_name}\nSee or change your session: {link}"
    start, end = (t.astimezone(timezone.utc) for t in (appointment.start, appointment.end))
    google = urlencode({"action": "TEMPLATE", "text": title,
                        "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
                        "details": details, "location": where})
    outlook = urlencode({"path": "/calendar/action/compose", "rru": "addevent", "subject": title,
                         "startdt": start.isoformat().replace("+00:00", "Z"),
                         "enddt": end.isoformat().replace("+00:00", "Z"),
                         "body": details, "location": where})
    return CalendarLinks(f"{GOOGLE_TEMPLATE}?{google}", f"{OUTLOOK_COMPOSE}?{outlook}")

FEED_PRODID = "-//Attune//Therapist sessions//EN"


def feed_ics(sessions: list[Appointment], name: str, now: datetime) -> bytes:
    """A therapist's private feed: each session as the client's first name and last initial
    and its mode. Never a note, a barrier or anything else the client said."""
    from icalendar import Calendar, Event  # lazy: ~200 ms, only when a calendar file is made

    calendar = Calendar()
    calendar.add("prodid", FEED_PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for appointment in sessions:
        event = Event()
        event.add("uid", uid_for(appointment))
        event.add("sequence", appointment.version)
        event.add("dtstamp", now.astimezone(zone("UTC")))
        event.add("dtstart", appointment.start.astimezone(zone("UTC")))
        event.add("dtend", appointment.end.astimezone(zone("UTC")))
        mode = "video" if appointment.mode is Mode.TELE else "in person"
        event.add("summary", f"{appointment.client_label or 'Session'} ({mode})")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
