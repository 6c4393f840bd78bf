"""A client's changes are confirmed after a grace period, coalesced (issue 9, item 8)."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from portal.domain.audit import Actor
from portal.domain.messages import CHANGE_NOTICE, PENDING, SENT, SKIPPED
from portal.domain.model import Barrier, Channel, Mode, PracticeSettings, Status
from portal.domain.notices import notice_key
from portal.services.client import changes as actions
from portal.services.client import moves
from portal.services.client.change_notices import send_change_notices
from portal.services.sessions import on_behalf
from portal.services.sessions.booking import record_booking
from tests import builders
from tests.conftest import T0

THU_10 = T0 + timedelta(days=3, hours=1)  # Thursday 10:00 in New York
FRI_10 = THU_10 + timedelta(days=1)
FRI_11 = FRI_10 + timedelta(hours=1)


@pytest.fixture
def practice(store):
    store.save_settings(PracticeSettings(display_name="Riverbend Counseling",
                                         contact_phone="+1 202-555-0100"))
    return builders.practice(store)


def booked(deps, t, c, start=THU_10):
    a = record_booking(deps, t, c, start, Mode.IN_PERSON, actor=Actor.system("test"),
                       location="14 Elm St")
    return fresh(deps, a)


def fresh(deps, a):
    return deps.store.load_context(a.id, a.client_id, a.therapist_id)


def notices_of(store, appointment_id):
    return {m.channel: m for m in store.messages_of(appointment_id) if m.kind == CHANGE_NOTICE}


def texts(notifier):
    return [s[2] for s in notifier.of("sms")]


def test_one_change_is_told_once_after_the_grace_and_not_before(deps, practice, store, notifier, clock):
    t, c = practice
    ctx = booked(deps, t, c)
    after = actions.switch_mode(deps, ctx, Mode.TELE, ctx.appointment.version)
    pending = notices_of(store, after.id)
    assert set(pending) == {Channel.EMAIL, Channel.SMS}
    assert {m.due_at for m in pending.values()} == {T0 + timedelta(minutes=3)}
    clock.advance(timedelta(minutes=2, seconds=59))
    send_change_notices(deps)
    assert notifier.sent == []  # not yet
    summary = builders.after_grace(deps)
    assert summary["sent"] == 2 and [s[0] for s in notifier.sent] == ["email", "sms"]
    assert "is now by video" in texts(notifier)[0]
    builders.after_grace(deps)  # a second run finds nothing more to send
    assert len(notifier.sent) == 2
    assert {m.status for m in notices_of(store, after.id).values()} == {SENT}


def test_video_and_straight_back_sends_nothing(deps, practice, store, notifier):
    t, c = practice
    ctx = booked(deps, t, c)
    video = actions.switch_mode(deps, ctx, Mode.TELE, ctx.appointment.version)
    back = actions.switch_mode(deps, fresh(deps, video), Mode.IN_PERSON, video.version)
    assert back.mode is Mode.IN_PERSON
    summary = builders.after_grace(deps)
    assert notifier.sent == [] and summary["skipped"] == 2
    assert {m.status for m in notices_of(store, back.id).values()} == {SKIPPED}


def test_two_moves_send_one_message_with_the_final_time(deps, practice, notifier):
    t, c = practice
    ctx = booked(deps, t, c)
    first = actions.reschedule(deps, ctx, FRI_10, ctx.appointment.version)
    actions.reschedule(deps, fresh(deps, first), FRI_11, first.version)
    builders.after_grace(deps)
    assert [s[0] for s in notifier.sent] == ["email", "sms"]
    [sms] = texts(notifier)
    assert "new time: Fri Mar 6, 11 AM EST" in sms and "10 AM" not in sms
    [(_, _, email)] = notifier.of("email")
    assert email.subject == "New time: your session on Fri Mar 6, 11 AM EST"


def test_a_move_and_its_undo_send_nothing(deps, practice, notifier):
    t, c = practice
    ctx = booked(deps, t, c)
    moved = actions.reschedule(deps, ctx, FRI_10, ctx.appointment.version)
    undone = moves.undo(deps, fresh(deps, moved), moved.version)
    assert undone.start == THU_10
    builders.after_grace(deps)
    assert notifier.sent == []


def test_a_move_after_the_first_was_told_is_told_again_even_back_to_the_start(deps, practice, notifier):
    t, c = practice
    ctx = booked(deps, t, c)
    moved = actions.reschedule(deps, ctx, FRI_10, ctx.appointment.version)
    builders.after_grace(deps)
    assert "Fri Mar 6, 10 AM" in texts(notifier)[-1]
    back = actions.reschedule(deps, fresh(deps, moved), THU_10, moved.version)
    builders.after_grace(deps)  # the client was last told Friday: Thursday is news again
    assert len(texts(notifier)) == 2 and "Thu Mar 5, 10 AM" in texts(notifier)[-1]
    assert back.start == THU_10


def test_a_cancel_inside_the_grace_after_a_move_is_the_one_message(deps, practice, store, notifier):
    t, c = practice
    ctx = booked(deps, t, c)
    moved = actions.reschedule(deps, ctx, FRI_10, ctx.appointment.version)
    actions.cancel(deps, fresh(deps, moved), moved.version, Barrier.ILLNESS)
    client_texts = texts(notifier)
    assert len(client_texts) == 1 and "Fri Mar 6, 10 AM EST is cancelled" in client_texts[0]  # at once
    builders.after_grace(deps)
    assert texts(notifier) == client_texts  # the move is never told on its own
    assert len([s for s in notifier.of("email") if s[1] == c.email]) == 1


def test_grace_zero_confirms_at_once_as_before(deps, practice, store, notifier):
    store.save_settings(replace(store.get_settings(), change_grace_minutes=0))
    t, c = practice
    ctx = booked(deps, t, c)
    after = actions.confirm(deps, ctx, ctx.appointment.version)
    assert [s[0] for s in notifier.sent] == ["email", "sms"]
    assert notices_of(store, after.id) == {}
    builders.after_grace(deps)
    assert len(notifier.sent) == 2


def test_a_notice_replaced_while_it_is_sent_still_tells_the_newer_state(deps, practice, store, notifier):
    t, c = practice
    ctx = booked(deps, t, c)
    moved = actions.reschedule(deps, ctx, FRI_10, ctx.appointment.version)
    send_email = notifier.send_email

    def client_moves_again_meanwhile(email):
        notifier.send_email = send_email
        current = fresh(deps, moved)
        actions.reschedule(deps, current, FRI_11, current.appointment.version)
        return send_email(email)

    notifier.send_email = client_moves_again_meanwhile
    builders.after_grace(deps)
    assert "Fri Mar 6, 10 AM" in texts(notifier)[-1]  # the SMS went after the second move was written
    email_notice = notices_of(store, moved.id)[Channel.EMAIL]
    assert email_notice.status == PENDING  # the run's mark did not overwrite the newer notice
    builders.after_grace(deps)
    emails = [s[2] for s in notifier.of("email")]
    assert len(emails) == 2 and "Fri Mar 6, 11 AM EST" in emails[-1].text


def test_a_claim_on_a_notice_read_before_it_was_replaced_fails(deps, practice, store, clock):
    t, c = practice
    ctx = booked(deps, t, c)
    moved = actions.reschedule(deps, ctx, FRI_10, ctx.appointment.version)
    clock.advance(timedelta(minutes=4))
    due = store.messages_due(CHANGE_NOTICE, clock.now(), clock.now())
    assert len(due) == 2
    actions.reschedule(deps, fresh(deps, moved), FRI_11, moved.version)  # replaces both
    assert not any(store.claim_message(m, clock.now(), clock.now() + timedelta(minutes=5)) for m in due)
    assert {m.status for m in notices_of(store, moved.id).values()} == {PENDING}


def test_a_therapist_change_inside_the_grace_is_told_at_once_and_the_notice_gives_way(
        deps, practice, notifier):
    t, c = practice
    ctx = booked(deps, t, c)
    moved = actions.reschedule(deps, ctx, FRI_10, ctx.appointment.version)
    on_behalf.reschedule(deps, fresh(deps, moved), FRI_11, moved.version, t)
    assert len(texts(notifier)) == 1 and "11 AM" in texts(notifier)[0]
    builders.after_grace(deps)
    assert len(texts(notifier)) == 1


def test_a_text_waits_for_the_end_of_quiet_hours_and_the_email_does_not(deps, practice, store, clock, notifier):
    t, c = practice
    ctx = booked(deps, t, c)
    clock.set(datetime(2026, 3, 3, 3, 0, tzinfo=timezone.utc))  # Monday 22:00 in New York
    actions.switch_mode(deps, fresh(deps, ctx.appointment), Mode.TELE, ctx.appointment.version)
    pending = notices_of(store, ctx.appointment.id)
    assert pending[Channel.EMAIL].due_at == clock.now() + timedelta(minutes=3)
    assert pending[Channel.SMS].due_at >= datetime(2026, 3, 3, 13, 0, tzinfo=timezone.utc)  # 8:00 local
    builders.after_grace(deps)
    assert [s[0] for s in notifier.sent] == ["email"]
    clock.set(pending[Channel.SMS].due_at)
    send_change_notices(deps)
    assert [s[0] for s in notifier.sent] == ["email", "sms"]


def test_a_booking_from_the_link_then_a_move_is_one_booked_message(deps, practice, store, notifier):
    t, c = practice
    ctx = booked(deps, t, c)
    cancelled = actions.cancel(deps, ctx, ctx.appointment.version)
    notifier.sent.clear()
    new, _ = actions.rebook(deps, fresh(deps, cancelled), FRI_10)
    moved = actions.reschedule(deps, fresh(deps, new), FRI_11, new.version)
    builders.after_grace(deps)
    [sms] = texts(notifier)
    assert "you're booked: Fri Mar 6, 11 AM EST" in sms
    assert moved.status is Status.CONFIRMED


def test_the_grace_is_bounded():
    with pytest.raises(Exception, match="0 to 30 minutes"):
        PracticeSettings(change_grace_minutes=31)
    assert notice_key(Channel.SMS) == "change#sms#-"


def test_a_confirm_then_video_and_back_is_told_as_a_confirm(deps, practice, notifier):
    t, c = practice
    ctx = booked(deps, t, c)
    confirmed = actions.confirm(deps, ctx, ctx.appointment.version)
    video = actions.switch_mode(deps, fresh(deps, confirmed), Mode.TELE, confirmed.version)
    actions.switch_mode(deps, fresh(deps, video), Mode.IN_PERSON, video.version)
    builders.after_grace(deps)
    [sms] = texts(notifier)
    assert sms.startswith("Riverbend Counseling: Thanks Alex, see you Thu Mar 5, 10 AM EST")


def test_a_therapists_change_late_at_night_texts_the_client_only_after_quiet_hours(
        deps, practice, store, clock, notifier):
    """Found by the simulated practice: a therapist's change is told at once, but its text
    must not wake the client. The email goes now; the text waits for the end of quiet hours."""
    t, c = practice
    ctx = booked(deps, t, c)
    clock.set(datetime(2026, 3, 3, 3, 30, tzinfo=timezone.utc))  # Monday 22:30 in New York
    on_behalf.reschedule(deps, fresh(deps, ctx.appointment), FRI_11, ctx.appointment.version, t)
    assert [s[0] for s in notifier.sent] == ["email"]
    waiting = notices_of(store, ctx.appointment.id)[Channel.SMS]
    morning = datetime(2026, 3, 3, 13, 0, tzinfo=timezone.utc)  # 8:00 in New York
    assert morning <= waiting.due_at < morning + timedelta(hours=1)
    send_change_notices(deps)
    assert [s[0] for s in notifier.sent] == ["email"]  # still night
    clock.set(waiting.due_at)
    send_change_notices(deps)
    assert [s[0] for s in notifier.sent] == ["email", "sms"] and "11 AM" in texts(notifier)[0]
    clock.advance(timedelta(hours=1))
    send_change_notices(deps)
    assert len(texts(notifier)) == 1  # once


def test_a_text_held_till_morning_that_cannot_be_stored_is_reported_not_raised(
        deps, practice, store, clock, notifier, monkeypatch):
    """The move is committed before the night text is held: a busy table then must not turn
    the therapist's page into an error. The email still goes; the text is reported failed."""
    t, c = practice
    ctx = booked(deps, t, c)
    clock.set(datetime(2026, 3, 3, 3, 30, tzinfo=timezone.utc))  # Monday 22:30 in New York

    def busy(notice):
        raise RuntimeError("the table is busy")

    monkeypatch.setattr(store, "defer_notice", busy)
    moved = on_behalf.reschedule(deps, fresh(deps, ctx.appointment), FRI_11, ctx.appointment.version, t)
    assert store.get_appointment(moved.id).start == FRI_11
    assert [s[0] for s in notifier.sent] == ["email"]
    assert Channel.SMS not in notices_of(store, ctx.appointment.id)


def test_a_deferred_text_gives_way_to_a_later_change(deps, practice, store, clock, notifier):
    t, c = practice
    ctx = booked(deps, t, c)
    clock.set(datetime(2026, 3, 3, 3, 30, tzinfo=timezone.utc))  # Monday 22:30 in New York
    moved = on_behalf.reschedule(deps, fresh(deps, ctx.appointment), FRI_11, ctx.appointment.version, t)
    clock.set(datetime(2026, 3, 3, 14, 0, tzinfo=timezone.utc))  # 9:00 local: awake
    on_behalf.reschedule(deps, fresh(deps, moved), FRI_10, moved.version, t)  # told at once
    send_change_notices(deps)
    assert len(texts(notifier)) == 1 and "10 AM" in texts(notifier)[0]  # the stale text never went
