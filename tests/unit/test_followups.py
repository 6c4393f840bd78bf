"""After a missed session: one warm "we missed you" with a way to rebook, a few hours later."""
from datetime import datetime, timedelta, timezone

import pytest

from portal.domain.audit import Actor
from portal.domain.messages import PENDING, SENT, SKIPPED
from portal.domain.model import Channel, Mode, PracticeSettings, Status
from portal.services.messaging.followups import send_due_followups
from portal.services.messaging.reminders import send_due_reminders
from portal.services.sessions import booking
from tests import builders

SETTINGS = PracticeSettings(display_name="Riverbend Counseling", contact_phone="+1 202-555-0100")
START = datetime(2026, 3, 3, 15, 0, tzinfo=timezone.utc)  # Tuesday 10:00 in New York


def at(*args):
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def missed(deps, store, clock):
    """A session, over, that the therapist marks missed ten minutes after its end."""
    store.save_settings(SETTINGS)
    therapist, client = builders.practice(store, c=builders.client(channels=(Channel.EMAIL,)))
    appointment = booking.record_booking(deps, therapist, client, START, Mode.IN_PERSON,
                                         actor=Actor.system("test"))
    clock.set(appointment.end + timedelta(minutes=10))
    return therapist, client, appointment


def mark(deps, store, appointment, status):
    ctx = store.load_context(appointment.id, appointment.client_id, appointment.therapist_id)
    return booking.mark_attendance(deps, ctx, status, ctx.appointment.version, actor=Actor.therapist("t", "workspace"))


def followups(store, appointment):
    return [m for m in store.messages_of(appointment.id) if m.kind == "followup"]


def test_a_no_show_plans_one_followup_in_the_same_change_and_it_goes_out_once(deps, store, clock, notifier, missed):
    _, client, appointment = missed
    mark(deps, store, appointment, Status.NO_SHOW)
    [planned] = followups(store, appointment)
    assert planned.status == PENDING and planned.due_at == appointment.end + timedelta(hours=2)
    assert store.load_context(appointment.id, client.id, appointment.therapist_id).message_keys == [planned.key]
    clock.set(planned.due_at - timedelta(minutes=1))
    assert send_due_followups(deps)["sent"] == 0
    clock.set(planned.due_at + timedelta(minutes=10))
    assert send_due_reminders(deps)["sent"] == 0  # another lane: the reminders run never sends it
    assert send_due_followups(deps)["sent"] == 1
    [(_, to, email)] = notifier.sent
    assert to == client.email and email.subject == "We missed you, Alex"
    assert deps.links.appointment_url(appointment, "/rebook") in email.text
    assert "sorry we didn't get to see you on Tuesday, March 3" in email.text
    assert followups(store, appointment)[0].status == SENT
    clock.advance(timedelta(minutes=30))
    assert send_due_followups(deps)["sent"] == 0 and len(notifier.sent) == 1


def test_a_mark_corrected_to_attended_in_time_sends_nothing(deps, store, clock, notifier, missed):
    _, _, appointment = missed
    marked = mark(deps, store, appointment, Status.NO_SHOW)
    mark(deps, store, marked, Status.ATTENDED)
    assert followups(store, appointment) == []
    clock.advance(timedelta(hours=3))
    assert send_due_followups(deps)["sent"] == 0 and notifier.sent == []


def test_never_more_than_one_followup_for_a_session_even_if_re_marked(deps, store, clock, notifier, missed):
    _, _, appointment = missed
    mark(deps, store, appointment, Status.NO_SHOW)
    clock.advance(timedelta(hours=3))
    send_due_followups(deps)
    attended = mark(deps, store, store.get_appointment(appointment.id), Status.ATTENDED)
    mark(deps, store, attended, Status.NO_SHOW)  # plans a new follow-up with the same key
    clock.advance(timedelta(hours=3))
    summary = send_due_followups(deps)
    assert summary == {**summary, "sent": 0, "skipped": 1}
    assert len(notifier.sent) == 1


def test_a_late_cancel_gets_a_followup_after_the_session_time(deps, store, clock, notifier):
    store.save_settings(SETTINGS)
    therapist, client = builders.practice(store)
    appointment = booking.record_booking(deps, therapist, client, START, Mode.TELE, actor=Actor.system("test"))
    clock.set(START - timedelta(hours=3))
    ctx = store.load_context(appointment.id, client.id, therapist.id)
    cancelled = booking.cancel(deps, ctx, ctx.appointment.version, actor=Actor.client("link"))
    assert cancelled.status is Status.LATE_CANCELLED
    [planned] = followups(store, appointment)
    assert planned.due_at == appointment.end + timedelta(hours=2)
    assert planned.channel is Channel.EMAIL  # the client's first choice of email and text
    clock.set(planned.due_at)
    assert send_due_followups(deps)["sent"] == 1


def test_a_client_who_already_rebooked_hears_about_the_next_session(deps, store, clock, notifier, missed):
    therapist, client, appointment = missed
    following = booking.record_booking(deps, therapist, client, START + timedelta(days=7), Mode.TELE,
                                       actor=Actor.client("link"))
    mark(deps, store, appointment, Status.NO_SHOW)
    clock.advance(timedelta(hours=3))
    send_due_followups(deps)
    email = notifier.of("email")[-1][2]
    assert "We look forward to seeing you on Tue Mar 10, 11 AM EDT" in email.text
    assert deps.links.appointment_url(following) in email.text and "/rebook" not in email.text


def test_a_followup_text_due_in_quiet_hours_waits_for_the_morning(deps, store, clock, notifier):
    store.save_settings(SETTINGS)
    therapist, client = builders.practice(store, c=builders.client(channels=(Channel.SMS,)))
    evening = at(2026, 3, 4, 0, 0)  # Tuesday 19:00: two hours after the end is quiet
    appointment = booking.record_booking(deps, therapist, client, evening, Mode.TELE, actor=Actor.system("test"))
    clock.set(appointment.end + timedelta(minutes=5))
    mark(deps, store, appointment, Status.NO_SHOW)
    [planned] = followups(store, appointment)
    assert planned.due_at == at(2026, 3, 4, 13, 15)  # Wednesday 08:15
    # The quiet hours changed after planning: a run at 08:20 finds it quiet again and defers.
    store.save_settings(PracticeSettings(display_name="Riverbend Counseling", version=1,
                                         quiet_end=datetime(2000, 1, 1, 9, 0).time()))
    clock.set(at(2026, 3, 4, 13, 20))
    assert send_due_followups(deps)["deferred"] == 1 and notifier.sent == []
    assert followups(store, appointment)[0].due_at == at(2026, 3, 4, 14, 15)
    clock.set(at(2026, 3, 4, 14, 20))
    assert send_due_followups(deps)["sent"] == 1
    [(_, _, text)] = notifier.of("sms")
    assert text.startswith("Riverbend Counseling: Alex, we missed you Tue Mar 3. Pick a new time: ")


def test_a_followup_days_late_is_skipped_rather_than_sent(deps, store, clock, notifier, missed):
    _, _, appointment = missed
    mark(deps, store, appointment, Status.NO_SHOW)
    clock.advance(timedelta(days=2))
    assert send_due_followups(deps)["skipped"] == 1 and notifier.sent == []
    assert followups(store, appointment)[0].status == SKIPPED


def test_followups_handler(deps, store, clock, missed, handlers):
    from functions import followups
    mark(deps, store, missed[2], Status.NO_SHOW)
    clock.advance(timedelta(hours=3))
    assert followups.handler({"detail-type": "Scheduled Event"}, None)["sent"] == 1
