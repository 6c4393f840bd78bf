"""A client full of sentinel values, for the erasure and export tests: every value is unique
enough that finding it anywhere in the table means it was not erased."""
from datetime import timedelta

from portal.domain.audit import Actor, AuditEvent
from portal.domain.checkins import CheckIn
from portal.domain.model import Appointment, Barrier, Client, InboxItem, Mode, Status
from portal.services.sessions.booking import record_booking

SENTINELS = {
    "first": "Zebulonia", "last": "Quistgaardson", "email": "zeb.quist@sentinel.example",
    "phone": "+15550107788", "note": "SENTINEL-cancel-note-ant", "checkin": "SENTINEL-checkin-bee",
    "inbox": "SENTINEL-inbox-cat",
}


def erasable_client(deps, therapist_id="mchen1", past=6):
    """A client with past sessions (attended, missed, cancelled with a note), a check-in, an
    inbox note and two future sessions with reminders pending."""
    store, now = deps.store, deps.clock.now()
    s = SENTINELS
    client = Client("czeb01", therapist_id, s["first"], s["last"], s["email"], s["phone"],
                    "America/New_York", sms_consent=True)
    store.add_client(client)
    statuses = [Status.ATTENDED, Status.NO_SHOW, Status.CANCELLED, Status.ATTENDED, Status.LATE_CANCELLED,
                Status.ATTENDED]
    for n in range(past):
        start = now - timedelta(days=3 + 7 * n, hours=2)
        status = statuses[n % len(statuses)]
        cancelled = status in (Status.CANCELLED, Status.LATE_CANCELLED)
        appointment = Appointment(f"zebpast{n:03d}", therapist_id, client.id, start, start + timedelta(minutes=50),
                                  Mode.IN_PERSON, status=status, barrier=Barrier.COST if cancelled else None,
                                  note=f"{s['note']}-{n}" if cancelled else "", created_at=start - timedelta(days=9))
        store.record_past_session(appointment, AuditEvent(appointment.id, start, "client", status.value, "link",
                                                          {"note": f"{s['note']}-{n}"} if cancelled else {}))
    store.record_checkin(client.id, CheckIn(now - timedelta(days=1), 2, "cost", s["checkin"]), "zebpast000",
                         therapist_id)
    store.add_inbox(InboxItem(therapist_id, now - timedelta(hours=5), "note", client.id, "zebpast000",
                              Barrier.COST, s["inbox"], id="zebinbox1"))
    therapist = store.get_therapist(therapist_id)
    ahead = []
    for days in (2, 9):
        start = (now + timedelta(days=days)).replace(hour=15, minute=0, second=0, microsecond=0)
        ahead.append(record_booking(deps, therapist, client, start, Mode.IN_PERSON,
                                    actor=Actor.therapist(therapist_id)))
    return client, ahead


def items_holding(items, values) -> list[tuple]:
    """(pk, sk, attribute, value) of every attribute of every item containing one of ``values``
    (case-insensitive; a phone also as its bare digits)."""
    wanted = set()
    for value in values:
        wanted.add(value.lower())
        if value.startswith("+"):
            wanted.add(value[2:])  # the national digits
    found = []
    for item in items:
        for name, value in item.items():
            text = repr(value).lower()
            for w in wanted:
                if w in text:
                    found.append((item.get("pk"), item.get("sk"), name, w))
    return found
