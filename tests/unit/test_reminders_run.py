"""The reminders run on the in-memory store: each message once, never stale, never late."""
import random
import threading
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from portal.adapters.codec import sessions
from portal.domain.audit import Actor
from portal.domain.messages import FAILED, PENDING, SENT, SKIPPED
from portal.domain.model import Channel, Mode, PracticeSettings, ReminderRule
from portal.services.messaging.reminders import send_due_reminders
from portal.services.sessions import booking
from tests import builders

EMAIL, SMS, VOICE = Channel.EMAIL, Channel.SMS, Channel.VOICE
SETTINGS = PracticeSettings(display_name="Riverbend Counseling", contact_phone="+1 202-555-0100")


def at(*args):
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def practice(store):
    store.save_settings(SETTINGS)
    return builders.practice(store)


def book(deps, therapist, client, start, mode=Mode.IN_PERSON, **kw):
    return booking.record_booking(deps, therapist, client, start, mode, actor=Actor.system("test"), **kw)


def statuses(store, appointment):
    return {m.key: m.status for m in store.messages_of(appointment.id)}


def no_sleep(seconds):
    raise AssertionError("the run slept although nothing was throttled")


def test_each_due_message_goes_out_once_and_is_marked_with_the_provider_id(deps, store, clock, notifier, practice):
    therapist, client = practice
    start = at(2026, 3, 6, 20, 0)  # Friday 15:00 in New York
    appt = book(deps, therapist, client, start)
    clock.set(start - timedelta(hours=24))
    summary = send_due_reminders(deps, sleep=no_sleep)
    assert summary["sent"] == 2  # the 24 h email and text (the 72 h email was due on Tuesday: see below)
    assert sorted(ch for ch, _, _ in notifier.sent) == ["email", "sms"]
    stored = {m.key: m for m in store.messages_of(appt.id)}
    assert stored["r24#email#20260306T2000"].status == SENT
    assert stored["r24#email#20260306T2000"].provider_id.startswith("email-")
    assert send_due_reminders(deps)["sent"] == 0  # a second run finds nothing
    assert len(notifier.sent) == 2


def test_a_late_run_catches_up_and_sends_only_the_latest_of_a_channel(deps, store, clock, notifier, practice):
    therapist, client = practice
    start = at(2026, 3, 6, 20, 0)
    appt = book(deps, therapist, client, start)
    clock.set(start - timedelta(hours=23))  # no run since booking: 72 h and 24 h emails both due
    summary = send_due_reminders(deps)
    emails = notifier.of("email")
    assert len(emails) == 1 and "tomorrow" in emails[0][2].subject
    assert statuses(store, appt)["r72#email#20260306T2000"] == SKIPPED
    assert summary["skipped"] == 1


def test_the_cursor_makes_a_run_read_only_the_hours_since_the_last(deps, store, clock, practice, monkeypatch):
    therapist, client = practice
    book(deps, therapist, client, at(2026, 3, 6, 20, 0))
    send_due_reminders(deps)  # first run: reads back up to 3 days
    read = []
    original = store.messages_due
    monkeypatch.setattr(store, "messages_due",
                        lambda lane, hour, upto: read.append((lane, hour)) or original(lane, hour, upto))
    clock.advance(timedelta(minutes=5))
    send_due_reminders(deps)
    # this hour, and one before for late entries
    assert read == [("", at(2026, 3, 2, 13, 0)), ("", at(2026, 3, 2, 14, 0))]


def test_a_moved_or_cancelled_session_gets_no_stale_reminder(deps, store, clock, notifier, practice):
    therapist, client = practice
    start = at(2026, 3, 6, 20, 0)
    moved = book(deps, therapist, client, start)
    cancelled = book(deps, therapist, client, start + timedelta(hours=2))
    # The session moved behind the planner's back (as a race would leave it): its message remains.
    store.table.put(sessions.appointment_to_item(replace(moved, start=start + timedelta(days=1),
                                                      end=moved.end + timedelta(days=1), version=2)))
    ctx = store.load_context(cancelled.id, client.id, therapist.id)
    booking.cancel(deps, ctx, ctx.appointment.version, actor=Actor.system("test"))
    clock.set(start - timedelta(hours=24))
    summary = send_due_reminders(deps)
    assert notifier.sent == []
    # The moved session's 72 h and 24 h emails and its text; the cancelled one's are gone.
    assert summary["skipped"] == 3
    assert set(statuses(store, moved).values()) >= {SKIPPED}
    assert store.messages_of(cancelled.id) == []


def test_a_session_that_has_started_is_never_reminded_late(deps, store, clock, notifier, practice):
    therapist, client = practice
    start = at(2026, 3, 6, 20, 0)
    appt = book(deps, therapist, client, start)
    clock.set(start + timedelta(minutes=5))
    summary = send_due_reminders(deps)
    assert notifier.sent == [] and summary["sent"] == 0 and summary["skipped"] >= 1
    assert PENDING not in {s for k, s in statuses(store, appt).items() if not k.startswith("r2#")}


def test_throttled_sends_back_off_within_the_run_with_an_injected_sleep(deps, store, clock, notifier, practice):
    therapist, client = practice
    appt = book(deps, therapist, client, at(2026, 3, 6, 20, 0), )
    calls = Counter()

    def throttle(channel):
        calls[channel] += 1
        return channel == "email" and calls[channel] <= 2

    notifier.throttle = throttle
    slept = []
    clock.set(at(2026, 3, 5, 20, 0))
    summary = send_due_reminders(deps, sleep=slept.append)
    assert slept == [0.5, 1.0]
    assert summary["sent"] == 2 and summary["throttled"] == 0
    assert statuses(store, appt)["r24#email#20260306T2000"] == SENT


def test_a_send_still_throttled_is_left_pending_for_the_next_run(deps, store, clock, notifier, practice):
    therapist, client = practice
    appt = book(deps, therapist, client, at(2026, 3, 6, 20, 0))
    notifier.throttle = lambda channel: channel == "sms"
    clock.set(at(2026, 3, 5, 20, 0))
    slept = []
    summary = send_due_reminders(deps, sleep=slept.append)
    assert summary["throttled"] == 1 and len(slept) == 2
    assert statuses(store, appt)["r24#sms#20260306T2000"] == PENDING
    notifier.throttle = None
    clock.advance(timedelta(hours=2))  # the next run, in a later hour: the cursor kept the old one
    assert send_due_reminders(deps)["sent"] == 1
    assert statuses(store, appt)["r24#sms#20260306T2000"] == SENT
    assert len(notifier.of("sms")) == 1


def test_with_throttling_on_30_percent_of_sends_every_message_goes_out_exactly_once(deps, store, clock, notifier):
    store.save_settings(replace(SETTINGS, nudge_hours=0,
                                reminder_schedule=(ReminderRule(24, (EMAIL, SMS)),)))
    start = at(2026, 3, 6, 14, 0)
    appointments = []
    for t in range(3):  # three therapists, ten sessions each, an hour apart
        therapist = builders.therapist(tid=f"ther{t:02d}")
        store.add_therapist(therapist, builders.weekday_availability())
        for k in range(10):
            n = 10 * t + k
            client = builders.client(cid=f"cli{n:03d}", tid=therapist.id, email=f"c{n}@example.com",
                                     phone=f"+1202555{n:04d}", channels=(EMAIL, SMS))
            store.add_client(client)
            appointments.append(book(deps, therapist, client, start + timedelta(hours=k)))
    dice = random.Random(30)
    notifier.throttle = lambda channel: dice.random() < 0.3
    clock.set(at(2026, 3, 5, 23, 30))  # every 24 h reminder is due (18:30 in New York), none started
    summaries = []
    for _ in range(6):  # "a few runs", five minutes apart
        summaries.append(send_due_reminders(deps, sleep=lambda s: None))
        clock.advance(timedelta(minutes=5))
    assert summaries[0]["throttled"] > 0  # some sends stayed throttled through the backoff...
    assert summaries[-1]["sent"] == 0  # ...and later runs sent them
    sent = Counter((channel, to) for channel, to, _ in notifier.sent)
    assert len(sent) == 60 and set(sent.values()) == {1}
    for appt in appointments:
        assert statuses(store, appt)[f"r24#email#{appt.start:%Y%m%dT%H%M}"] == SENT
        assert statuses(store, appt)[f"r24#sms#{appt.start:%Y%m%dT%H%M}"] == SENT


def test_two_runs_at_the_same_moment_send_each_message_once(deps, store, clock, notifier):
    store.save_settings(SETTINGS)
    therapist = builders.therapist()
    store.add_therapist(therapist, builders.weekday_availability())
    for n in range(20):
        client = builders.client(cid=f"cli{n:03d}", email=f"c{n}@example.com", channels=(EMAIL,))
        store.add_client(client)
        book(deps, therapist, client, at(2026, 3, 6, 14, 0) + timedelta(minutes=60 * n))
    clock.set(at(2026, 3, 5, 23, 30))
    gate, summaries = threading.Barrier(2), []

    def run():
        gate.wait()
        summaries.append(send_due_reminders(deps))

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join(30) for t in threads]
    assert sum(s["sent"] for s in summaries) == 20
    assert Counter(to for _, to, _ in notifier.sent) == {f"c{n}@example.com": 1 for n in range(20)}


def test_opted_out_clients_get_no_text_and_quiet_hours_hold_when_a_run_is_late(deps, store, clock, notifier, practice):
    therapist, client = practice
    start = at(2026, 3, 6, 20, 0)
    book(deps, therapist, client, start)
    store.set_client_flags(client.id, sms_opted_out=True)
    clock.set(start - timedelta(hours=24))
    send_due_reminders(deps)
    assert notifier.of("sms") == [] and len(notifier.of("email")) == 1
    # A text planned for 20:45 that a late run only reaches at 21:10 stays unsent.
    other = builders.client(cid="cli002", phone="+12025550999", email="b@example.com", channels=(SMS,))
    store.add_client(other)
    early = book(deps, therapist, other, at(2026, 3, 12, 11, 0))  # Thu 07:00 EDT: 24 h before is quiet
    clock.set(at(2026, 3, 11, 1, 10))  # Tuesday 21:10 EDT: the text planned for 20:45 is late
    summary = send_due_reminders(deps)
    assert notifier.of("sms") == [] and summary["skipped"] >= 1
    assert statuses(store, early)["r24#sms#20260312T1100"] == SKIPPED


def test_one_reminder_text_a_day_across_two_sessions(deps, store, clock, notifier, practice):
    therapist, client = practice
    thursday = book(deps, therapist, client, at(2026, 3, 5, 15, 0))  # Thu 10:00: 2 h text at 08:00
    friday = book(deps, therapist, client, at(2026, 3, 6, 14, 0))  # Fri 09:00: 24 h text Thu 09:00
    for hour in (13, 14):  # runs at 08:00 and 09:00 on Thursday
        clock.set(at(2026, 3, 5, hour, 0))
        send_due_reminders(deps)
    assert len(notifier.of("sms")) == 1
    assert statuses(store, thursday)["r2#sms#20260305T1500"] == SENT
    assert statuses(store, friday)["r24#sms#20260306T1400"] == SKIPPED
    assert statuses(store, friday)["r24#email#20260306T1400"] == SENT  # email has no such limit


def test_the_nudge_goes_only_if_the_session_is_still_unconfirmed(deps, store, clock, notifier, practice):
    therapist, client = practice
    start = at(2026, 3, 6, 20, 0)
    kept = book(deps, therapist, client, start)
    client2 = builders.client(cid="cli002", email="b@example.com", phone="+12025550999",
                              channels=(EMAIL, SMS))
    store.add_client(client2)
    confirmed_later = book(deps, therapist, client2, start + timedelta(hours=1))
    ctx = store.load_context(confirmed_later.id, client2.id, therapist.id)
    booking.confirm(deps, ctx, ctx.appointment.version, actor=Actor.client("sms"))
    clock.set(start - timedelta(hours=20))
    send_due_reminders(deps)
    nudges = [e for _, _, e in notifier.of("email") if e.subject.startswith("Can you still make it")]
    assert [e.to for e in nudges] == [client.email]
    assert statuses(store, kept)["nudge#email#20260306T2000"] == SENT
    assert statuses(store, confirmed_later)["nudge#email#20260306T2100"] == SKIPPED


def test_a_failing_address_is_retried_then_marked_failed_without_stopping_the_run(deps, store, clock, notifier,
                                                                                 practice):
    therapist, client = practice
    appt = book(deps, therapist, client, at(2026, 3, 6, 20, 0))
    original = notifier.send_email

    def broken(email):
        raise RuntimeError("MessageRejected: address is not verified")

    notifier.send_email = broken
    clock.set(at(2026, 3, 5, 20, 0))
    for run in range(3):
        summary = send_due_reminders(deps)
        assert summary["failed"] == 1 and summary["sent"] == (1 if run == 0 else 0)
        clock.advance(timedelta(minutes=5))
    assert statuses(store, appt)["r24#email#20260306T2000"] == FAILED
    notifier.send_email = original
    assert send_due_reminders(deps)["sent"] == 0


def test_a_run_out_of_time_leaves_the_rest_for_the_next(deps, store, clock, notifier, practice):
    therapist, client = practice
    appt = book(deps, therapist, client, at(2026, 3, 6, 20, 0))
    clock.set(at(2026, 3, 5, 22, 0))
    assert send_due_reminders(deps, should_stop=lambda: True)["sent"] == 0
    clock.advance(timedelta(hours=2))
    assert send_due_reminders(deps)["sent"] == 2
    assert statuses(store, appt)["r24#sms#20260306T2000"] == SENT


def test_voice_reminders_are_spoken_with_no_links(deps, store, clock, notifier, practice):
    therapist, _ = practice
    caller = builders.client(cid="cli009", channels=(VOICE,), email="")
    store.add_client(caller)
    book(deps, therapist, caller, at(2026, 3, 6, 20, 0), Mode.TELE)
    clock.set(at(2026, 3, 5, 20, 0))
    send_due_reminders(deps)
    [(_, to, text)] = notifier.of("voice")
    assert to == caller.phone and "Friday, March 6 at 3 PM" in text and "by video" in text
    assert "http" not in text and "Rivera" not in text


def test_reminders_handler_returns_a_summary_and_raises_no_type_error(deps, store, clock, practice,
                                                                     monkeypatch, handlers):
    from functions import reminders
    from functions._guard import RunFailed
    therapist, client = practice
    book(deps, therapist, client, at(2026, 3, 6, 20, 0))
    clock.set(at(2026, 3, 5, 20, 0))
    assert reminders.handler({"detail-type": "Scheduled Event"}, None)["sent"] == 2
    monkeypatch.setattr(store, "cursor", lambda *a: (_ for _ in ()).throw(TypeError("boom")))
    with pytest.raises(RunFailed) as failure:  # a TypeError must not reach Zappa (it would re-run)
        reminders.handler({}, None)
    assert not isinstance(failure.value, TypeError)
    assert isinstance(failure.value.__cause__, TypeError)
