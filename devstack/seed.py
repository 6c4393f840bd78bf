"""A demo practice for the local stack: two therapists, ten clients, two weeks of sessions.

Everything goes through the same services as real use. Seeding is skipped when
therapists already exist, and every record has a fixed id, so a second run
creates nothing twice.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

from portal.domain.audit import Actor, AuditEvent
from portal.domain.errors import DomainError
from portal.domain.model import (
    Appointment,
    Availability,
    AvailabilityWindow,
    Barrier,
    Channel,
    Client,
    Mode,
    PracticeSettings,
    Status,
    Therapist,
)
from portal.domain.slots import open_slots

BOTH = frozenset({Mode.IN_PERSON, Mode.TELE})
TELE = frozenset({Mode.TELE})
OFFICE = "Riverbend Counseling, 14 Elm Street, Suite 210"

THERAPISTS = [
    # Maya offers evenings (Tue/Thu until 20:00) and is the practice admin.
    (Therapist("mchen1", "Maya Chen", "maya@riverbend.example", "America/New_York",
               tele_room_url="https://meet.example.org/riverbend-maya", role="admin"),
     Availability(windows=(
         AvailabilityWindow(0, time(9), time(12), BOTH),
         AvailabilityWindow(1, time(9), time(12), BOTH),
         AvailabilityWindow(1, time(17), time(20), BOTH),
         AvailabilityWindow(2, time(13), time(17), BOTH),
         AvailabilityWindow(3, time(17), time(20), BOTH),
         AvailabilityWindow(4, time(9), time(13), TELE),
     ))),
    # Sam works Saturday mornings.
    (Therapist("sokaf1", "Sam Okafor", "sam@riverbend.example", "America/New_York"),
     Availability(windows=(
         AvailabilityWindow(0, time(10), time(16), BOTH),
         AvailabilityWindow(2, time(10), time(16), BOTH),
         AvailabilityWindow(4, time(10), time(15), BOTH),
         AvailabilityWindow(5, time(9), time(13), BOTH),
     ))),
]

EMAIL, SMS, VOICE = Channel.EMAIL, Channel.SMS, Channel.VOICE
CLIENTS = [
    # id, therapist, first, last, phone, zone, channels
    ("calex01", "mchen1", "Alex", "Rivera", "+12025550143", "America/New_York", (EMAIL, SMS)),
    ("cjord02", "mchen1", "Jordan", "Lee", "+12025550144", "America/New_York", (EMAIL,)),
    ("cpriy03", "mchen1", "Priya", "Natarajan", "+12025550145", "America/Los_Angeles", (EMAIL, SMS)),
    ("csam004", "mchen1", "Sam", "Whitfield", "+12025550146", "America/New_York", (SMS, VOICE)),
    ("cmari05", "mchen1", "Maria", "Gonzalez", "+12025550147", "America/Chicago", (EMAIL, SMS)),
    ("cdeva06", "sokaf1", "Devon", "Brooks", "+12025550148", "America/New_York", (EMAIL, SMS)),
    ("cnoor07", "sokaf1", "Noor", "Haddad", "+12025550149", "America/New_York", (EMAIL,)),
    ("celij08", "sokaf1", "Elijah", "Turner", "+12025550150", "America/New_York", (EMAIL, VOICE)),
    ("chann09", "sokaf1", "Hannah", "Kowalski", "+12025550151", "America/Denver", (EMAIL, SMS)),
    ("ckenj10", "sokaf1", "Kenji", "Watanabe", "+12025550152", "America/New_York", (EMAIL, SMS)),
]

SETTINGS = PracticeSettings(
    display_name="Riverbend Counseling",
    timezone="America/New_York",
    contact_phone="+1 202-555-0100",
    # Video sessions of a therapist without a room of their own get a room per session.
    tele_link_template="https://meet.example.org/riverbend-{appointment_id}",
)


def hash_password(password: str) -> str:
    from portal.services.accounts.sign_in import hash_password as scrypt_hash

    return scrypt_hash(password)  # salted scrypt, at the cost sign-in uses


def seed_demo(deps, password: str, history: bool = True) -> dict:
    """Create the demo practice unless one exists. Returns what was done, for the banner."""
    from portal.services.sessions.booking import HowRecorded, record_booking

    store = deps.store
    if store.list_therapists():
        return {"seeded": False, "therapists": [t.email for t, _ in THERAPISTS]}
    if store.get_settings().version == 0:
        store.save_settings(SETTINGS)
    password_hash = hash_password(password)
    for therapist, availability in THERAPISTS:
        if store.get_therapist(therapist.id) is None:
            store.add_therapist(replace(therapist, password_hash=password_hash), availability)
    therapists = {t.id: t for t, _ in THERAPISTS}
    clients = []
    for cid, tid, first, last, phone, zone_name, channels in CLIENTS:
        client = Client(cid, tid, first, last, f"{first.lower()}.{last.lower()}@example.com",
                        phone, zone_name, channels, sms_consent=SMS in channels)
        if store.get_client(cid) is None:
            store.add_client(client)
        clients.append(client)

    booked = 0
    now = deps.clock.now()
    settings = store.get_settings()
    for tid, therapist in therapists.items():
        availability = store.get_availability(tid)
        own = [c for c in clients if c.therapist_id == tid]
        slots = open_slots(therapist, availability, [], replace(settings, booking_horizon_days=14),
                           now)
        # Spread sessions across the fortnight: every third open slot, two per client.
        picks = slots[::3][: len(own) * 2]
        for n, slot in enumerate(picks):
            client = own[n % len(own)]
            mode = Mode.TELE if (n % 3 == 1 and Mode.TELE in slot.modes) or Mode.IN_PERSON not in slot.modes \
                else Mode.IN_PERSON
            status = Status.CONFIRMED if n % 4 == 3 else Status.SCHEDULED  # most not yet confirmed
            try:
                record_booking(deps, therapist, client, slot.start, mode, actor=Actor.system("seed"),
                               location=OFFICE,
                               how=HowRecorded(appointment_id=f"demo{tid[:4]}{n:02d}", status=status))
                booked += 1
            except DomainError:
                continue  # already there from an earlier run
        _seed_waitlist(deps, therapist, own, len(picks))
        if history:
            booked += _seed_history(deps, therapist, availability, own, settings, now)
    if history:
        _seed_struggling_week(deps, now)
    return {"seeded": True, "therapists": [t.email for t, _ in THERAPISTS], "appointments": booked}


WAITLISTED = 3  # per therapist: cancel a demo session and its time is offered to them


def _seed_waitlist(deps, therapist, clients, booked: int):
    """The first few clients would take an earlier time than their later session."""
    from portal.domain.waitlist import WaitlistPrefs
    from portal.services.waitlist import entries

    for n in range(len(clients), min(booked, len(clients) + WAITLISTED)):
        client = clients[n % len(clients)]
        ctx = deps.store.load_context(f"demo{therapist.id[:4]}{n:02d}", client.id, therapist.id)
        if ctx is not None and ctx.appointment.status.is_open:
            entries.join(deps, ctx, WaitlistPrefs(notice_hours=2))


# What eight past weeks looked like, so the figures page and the at-risk flags have something
# to show: mostly attended, some missed, some cancelled with the reason the client gave.
HISTORY_OUTCOMES = (
    (Status.ATTENDED, None, "link"), (Status.ATTENDED, None, "sms"), (Status.ATTENDED, None, ""),
    (Status.ATTENDED, None, "link"), (Status.NO_SHOW, None, ""), (Status.ATTENDED, None, "link"),
    (Status.LATE_CANCELLED, Barrier.TRANSPORT, "link"), (Status.ATTENDED, None, "therapist"),
    (Status.CANCELLED, Barrier.SCHEDULE, "link"), (Status.ATTENDED, None, "sms"),
    (Status.CANCELLED, Barrier.COST, ""),
)


def _seed_history(deps, therapist, availability, clients, settings, now) -> int:
    """Past sessions written as they ended up (no reminders or follow-ups are planned)."""
    start_of_history = now - timedelta(weeks=8)
    past = [s for s in open_slots(therapist, availability, [],
                                  replace(settings, min_notice_hours=0, booking_horizon_days=55),
                                  start_of_history)
            if s.end < now - timedelta(hours=12)]
    written, misses = 0, 0
    for n, slot in enumerate(past[::4]):
        status, barrier, via = HISTORY_OUTCOMES[n % len(HISTORY_OUTCOMES)]
        client = clients[n % len(clients)]
        if status in (Status.NO_SHOW, Status.LATE_CANCELLED):
            # Misses cluster on a few clients, as in real practices, not one on everyone.
            client, misses = clients[1 + misses % 3], misses + 1
        mode = Mode.TELE if Mode.IN_PERSON not in slot.modes or n % 3 == 2 else Mode.IN_PERSON
        appointment = Appointment(
            id=f"past{therapist.id[:4]}{n:03d}", therapist_id=therapist.id, client_id=client.id,
            start=slot.start, end=slot.end, mode=mode, location=OFFICE, status=status,
            barrier=barrier, confirmed_via=via if status is not Status.NO_SHOW else "",
            changed_by_client=barrier is not None, created_at=slot.start - timedelta(days=14))
        audit = AuditEvent(appointment.id, now, "system", "seeded", "seed", {"status": status.value})
        written += deps.store.record_past_session(appointment, audit)  # False: already there
    return written


# Check-ins the dashboard should react to: Priya rated her week 1 of 5 and feels unsure (she
# leads Maya's list); Noor, who has missed before, says getting there is hard this week (Sam's
# "Reach out today" leads with her). Seeded like the past sessions: stored and in the inbox, but
# nobody is emailed about them (the outbox starts empty).
SEEDED_CHECKINS = (
    ("cpriy03", "mchen1", 1, Barrier.ANXIETY, "Rough week. Not sure I can make it."),
    ("cnoor07", "sokaf1", 3, Barrier.TRANSPORT, "My car is in the shop this week."),
)


def _seed_struggling_week(deps, now):
    from dataclasses import replace

    from portal.adapters.aws.senders import FakeNotifier
    from portal.services.messaging.checkins import Answer, record_answer

    quiet = replace(deps, notifier=FakeNotifier())
    for client_id, therapist_id, score, barrier, note in SEEDED_CHECKINS:
        upcoming = [a for a in deps.store.client_appointments(client_id, now, now + timedelta(days=14))
                    if a.status.is_open]
        if not upcoming or deps.store.latest_checkins([client_id]):
            continue
        ctx = deps.store.load_context(upcoming[0].id, client_id, therapist_id)
        record_answer(quiet, ctx, Answer(score, barrier, note))


def reset_demo_passwords(store, password: str):
    """Used when data already exists and PORTAL_DEMO_PASSWORD is given."""
    password_hash = hash_password(password)
    for therapist, _ in THERAPISTS:
        current = store.get_therapist(therapist.id)
        if current is not None:
            store.set_password_hash(current.id, password_hash)
