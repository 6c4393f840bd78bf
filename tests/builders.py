"""Small builders for a practice: one therapist with weekday windows, and a client."""
from dataclasses import replace
from datetime import time

from portal.domain.model import (
    Availability,
    AvailabilityWindow,
    Channel,
    Client,
    Mode,
    Therapist,
)

BOTH = frozenset({Mode.IN_PERSON, Mode.TELE})


def therapist(tid="ther01", zone="America/New_York", **kw):
    values = dict(name="Maya Chen", email=f"{tid}@practice.test", timezone=zone,
                  session_minutes=50, buffer_minutes=10,
                  tele_room_url="https://meet.test/maya")
    values.update(kw)
    return Therapist(tid, **values)


def weekday_availability(start=time(9), end=time(17), modes=BOTH, days=range(5)):
    return Availability(windows=tuple(AvailabilityWindow(d, start, end, modes) for d in days))


def client(cid="cli001", tid="ther01", zone="America/New_York", **kw):
    values = dict(first_name="Alex", last_name="Rivera", email="alex@example.com",
                  phone="+12025550143", timezone=zone, channels=(Channel.EMAIL, Channel.SMS),
                  sms_consent=True)
    values.update(kw)
    return Client(cid, tid, **values)


def practice(store, t=None, a=None, c=None):
    t = t or therapist()
    store.add_therapist(t, a or weekday_availability())
    c = c or client(tid=t.id)
    store.add_client(c)
    return t, c


def after_grace(deps):
    """Move the clock past the grace period of a client's change and run the change-notice
    lane of the reminders run: what the client hears once the grace is over."""
    from datetime import timedelta

    from portal.services.client.change_notices import send_change_notices

    grace = deps.store.get_settings().change_grace_minutes
    deps.clock.advance(timedelta(minutes=grace, seconds=1))
    return send_change_notices(deps)


PASSWORD = "correct horse battery"


def therapist_who_signs_in(store, password=PASSWORD):
    """Maya with a password, stored: the sign-in and two-step tests start from her."""
    from portal.services.accounts import sign_in

    t = replace(therapist("maya01", email="maya@practice.test"), password_hash=sign_in.hash_password(password))
    store.add_therapist(t)
    return t
